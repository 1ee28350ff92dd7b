// The interop application in Typhoon: the same routes as web_app.py. Serves on a free port and
// prints "port N" once listening: web_server TEMPLATE_DIR STATIC_DIR
#include <typhoon/core/log.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>

#include <iostream>

namespace web = typhoon::web;
namespace json = boost::json;
using boost::asio::awaitable;

namespace {

class Main final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("Hello, world");
        co_return;
    }
};

class Greet final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("Hello, " + get_argument("name"));
        co_return;
    }
    awaitable<void> post() override {
        write("posted " + get_body_argument("what", "nothing"));
        co_return;
    }
};

class Json final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(json::object{
            {"message", "</script>"}, {"n", 2}, {"list", json::array{1, 2.5, nullptr, true}}});
        co_return;
    }
};

class Error final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        throw web::HTTPError(std::stoi(path_args().at(0)), "asked for " + path_args().at(0));
    }
};

class Reason final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override { throw web::HTTPError(418, "", "Custom Reason"); }
};

class Redirect final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        redirect("/target?x=1", {.permanent = get_argument("p", "") == "1"});
        co_return;
    }
};

class Boom final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override { throw std::runtime_error("boom"); }
};

class Status final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        set_status(201);
        set_header("X-Custom", "yes");
        write("created");
        co_return;
    }
};

class Empty final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        set_status(204);
        co_return;
    }
};

class Template final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        render("page.html", {{"items", json::array{"a<b", "c&d"}}});
        co_return;
    }
};

class Named final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        std::string out;
        for (const auto& [name, value] : path_kwargs())
            out += (out.empty() ? "" : ",") + name + "=" + value;
        write(out);
        co_return;
    }
};

class Positional final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        std::string out;
        for (const auto& arg : path_args())
            out += (out.empty() ? "" : "|") + arg;
        write(out);
        co_return;
    }
};

class Finisher final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write("part, ");
        throw web::Finish("end");
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: web_server TEMPLATE_DIR STATIC_DIR\n";
        return 2;
    }
    // Errors are expected here (404s, 500s): keep stderr for real failures.
    typhoon::log::access_log.set_level(typhoon::log::Level::critical);
    typhoon::log::app_log.set_level(typhoon::log::Level::critical);
    typhoon::log::gen_log.set_level(typhoon::log::Level::critical);
    web::Application app(
        {
            web::url<Main>("/"),
            web::url<Greet>("/greet"),
            web::url<Json>("/json"),
            web::url<Error>("/error/([0-9]+)"),
            web::url<Reason>("/reason"),
            web::url<Redirect>("/redirect"),
            web::url<web::RedirectHandler>("/permanent/([0-9]+)", {}, "/story/{0}"),
            web::url<Boom>("/boom"),
            web::url<Status>("/status"),
            web::url<Empty>("/empty"),
            web::url<Template>("/template"),
            web::url<Named>(R"(/named/(?P<first>\w+)/(?P<second>\w+))"),
            web::url<Positional>("/positional/([^/]+)/(.*)"),
            web::url<Finisher>("/finish"),
            web::url<web::ErrorHandler>("/gone", {}, 410),
        },
        {.template_path = argv[1], .static_path = argv[2]});
    const auto port = app.listen(0, "127.0.0.1").ports().at(0);
    std::cout << "port " << port << std::endl;
    typhoon::ioloop::IOLoop::current().start();
}
