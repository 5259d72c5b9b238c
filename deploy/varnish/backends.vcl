# The app servers behind Varnish (included by newsroom.vcl): one backend per gunicorn, taken in
# turn, each asked for /robots.txt every few seconds and skipped while it does not answer.
# Edit the addresses; the rest of the configuration stays in newsroom.vcl.

probe newsroom_alive {
    .url = "/robots.txt";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend app1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = newsroom_alive;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

backend app2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = newsroom_alive;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

sub vcl_init {
    new newsroom_apps = directors.round_robin();
    newsroom_apps.add_backend(app1);
    newsroom_apps.add_backend(app2);
}
