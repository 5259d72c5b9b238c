from django.urls import path, register_converter

from newsroom.converters import TwoDigitConverter, YearConverter
from releases import feeds, preview, views

register_converter(TwoDigitConverter, "dd")
register_converter(YearConverter, "yyyy")

release_rss, release_atom = feeds.feed_pair(feeds.ReleaseFeed)
organisation_rss, organisation_atom = feeds.feed_pair(feeds.OrganisationFeed)
person_rss, person_atom = feeds.feed_pair(feeds.PersonFeed)
tag_rss, tag_atom = feeds.feed_pair(feeds.TagFeed)
kind_rss, kind_atom = feeds.feed_pair(feeds.KindFeed)

urlpatterns = [
    path("communiques/", views.release_list, name="release-list"),
    path(
        "communiques/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ReleaseDetailView.as_view(),
        name="release-detail",
    ),
    path("communiques/apercu/<int:pk>/", views.ReleasePreviewView.as_view(), name="release-preview"),
    path("communiques/apercu/lien/<str:token>/", preview.SharedPreviewView.as_view(), name="release-shared-preview"),
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
