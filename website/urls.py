"""The public website's own pages (under a language prefix: ``newsroom/urls.py`` adds it) and the
files at the root of the site (``root_urlpatterns``)."""

from django.urls import path

from website import feeds, views
from website.sitemaps import sitemap_index, sitemap_section

release_rss, release_atom = feeds.feed_pair(feeds.ReleaseFeed)
organisation_rss, organisation_atom = feeds.feed_pair(feeds.OrganisationFeed)
person_rss, person_atom = feeds.feed_pair(feeds.PersonFeed)
tag_rss, tag_atom = feeds.feed_pair(feeds.TagFeed)
kind_rss, kind_atom = feeds.feed_pair(feeds.KindFeed)

urlpatterns = [
    path("", views.home, name="home"),
    path("themes/<slug:slug>/", views.tag_detail, name="tag-detail"),
    path("recherche/", views.search, name="search"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("personnes/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("reunions/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    # Feeds: the list's own filters in the query string, or one filter in the path.
    path("communiques/flux/rss/", release_rss, name="release-feed-rss"),
    path("communiques/flux/atom/", release_atom, name="release-feed-atom"),
    path("communiques/type/<slug:kind>/flux/rss/", kind_rss, name="kind-feed-rss"),
    path("communiques/type/<slug:kind>/flux/atom/", kind_atom, name="kind-feed-atom"),
    path("organisations/<slug:slug>/flux/rss/", organisation_rss, name="organisation-feed-rss"),
    path("organisations/<slug:slug>/flux/atom/", organisation_atom, name="organisation-feed-atom"),
    path("personnes/<slug:slug>/flux/rss/", person_rss, name="person-feed-rss"),
    path("personnes/<slug:slug>/flux/atom/", person_atom, name="person-feed-atom"),
    path("themes/<slug:slug>/flux/rss/", tag_rss, name="tag-feed-rss"),
    path("themes/<slug:slug>/flux/atom/", tag_atom, name="tag-feed-atom"),
]

root_urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="django.contrib.sitemaps.views.sitemap"),
]
