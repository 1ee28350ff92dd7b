"""The interop application, in Python Tornado: the same routes as web_server.cpp."""
import os

import tornado.web


class Main(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")


class Greet(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, " + self.get_argument("name"))

    def post(self):
        self.write("posted " + self.get_body_argument("what", "nothing"))


class Json(tornado.web.RequestHandler):
    def get(self):
        self.write({"message": "</script>", "n": 2, "list": [1, 2.5, None, True]})


class Error(tornado.web.RequestHandler):
    def get(self, code):
        raise tornado.web.HTTPError(int(code), "asked for %s", code)


class Reason(tornado.web.RequestHandler):
    def get(self):
        raise tornado.web.HTTPError(418, reason="Custom Reason")


class Redirect(tornado.web.RequestHandler):
    def get(self):
        self.redirect("/target?x=1", permanent=self.get_argument("p", "") == "1")


class Boom(tornado.web.RequestHandler):
    def get(self):
        raise RuntimeError("boom")


class Status(tornado.web.RequestHandler):
    def get(self):
        self.set_status(201)
        self.set_header("X-Custom", "yes")
        self.write("created")


class Empty(tornado.web.RequestHandler):
    def get(self):
        self.set_status(204)


class Template(tornado.web.RequestHandler):
    def get(self):
        self.render("page.html", items=["a<b", "c&d"])


class Named(tornado.web.RequestHandler):
    def get(self, **kwargs):
        self.write(",".join("%s=%s" % kv for kv in sorted(self.path_kwargs.items())))


class Positional(tornado.web.RequestHandler):
    def get(self, *args):
        self.write("|".join(self.path_args))


class Finisher(tornado.web.RequestHandler):
    def get(self):
        self.write("part, ")
        raise tornado.web.Finish("end")


def make_app():
    return tornado.web.Application(
        [
            (r"/", Main),
            (r"/greet", Greet),
            (r"/json", Json),
            (r"/error/([0-9]+)", Error),
            (r"/reason", Reason),
            (r"/redirect", Redirect),
            (r"/permanent/([0-9]+)", tornado.web.RedirectHandler, {"url": "/story/{0}"}),
            (r"/boom", Boom),
            (r"/status", Status),
            (r"/empty", Empty),
            (r"/template", Template),
            (r"/named/(?P<first>\w+)/(?P<second>\w+)", Named),
            (r"/positional/([^/]+)/(.*)", Positional),
            (r"/finish", Finisher),
            (r"/gone", tornado.web.ErrorHandler, {"status_code": 410}),
        ],
        template_path=os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates"),
        static_path=os.path.join(os.path.dirname(os.path.abspath(__file__)), "static"),
    )
