// The authentication and security chapter: cookies, signed cookies, users, XSRF.
#include <typhoon/core/escape.hpp>
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>

#include <string>

using boost::asio::awaitable;
namespace web = typhoon::web;

// guide:begin cookie
class CountingHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        // A plain cookie: the client can read and change it.
        if (!get_cookie("mycookie")) {
            set_cookie("mycookie", "myvalue", {.httponly = true, .samesite = "Lax"});
            write("Your cookie was not set yet!");
        } else {
            write("Your cookie was set!");
        }
        co_return;
    }
};
// guide:end cookie

// guide:begin signed
class VisitsHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        // Signed with the application's cookie_secret: tampering makes it unreadable (nullopt).
        const int visits = std::stoi(get_signed_cookie("visits").value_or("0")) + 1;
        set_signed_cookie("visits", std::to_string(visits));
        write("Visit number " + std::to_string(visits));
        co_return;
    }
};
// guide:end signed

// guide:begin user
class BaseHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    // current_user() calls this once per request and keeps the answer.
    boost::json::value get_current_user() override {
        if (auto name = get_signed_cookie("user")) return boost::json::string(*name);
        return nullptr;
    }
};

class MainHandler : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> get() override {
        web::authenticated(*this);  // @tornado.web.authenticated: GET goes to login_url
        write("Hello, " + xhtml(current_user().as_string()));
        co_return;
    }

private:
    static std::string xhtml(boost::json::string_view text) {
        return typhoon::escape::xhtml_escape(std::string(text));
    }
};

class LoginHandler : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> get() override {
        // xsrf_form_html() is the hidden _xsrf field every POST form needs with xsrf_cookies.
        write(R"(<html><body><form action="/login" method="post">)"
              R"(Name: <input type="text" name="name">)" +
              xsrf_form_html() + R"(<input type="submit" value="Sign in"></form></body></html>)");
        co_return;
    }
    awaitable<void> post() override {
        set_signed_cookie("user", get_body_argument("name"));
        redirect(get_argument("next", "/"));
        co_return;
    }
};
// guide:end user

// guide:begin settings
int main() {
    web::Application application(
        {
            web::url<MainHandler>("/"),
            web::url<LoginHandler>("/login"),
            web::url<CountingHandler>("/count"),
            web::url<VisitsHandler>("/visits"),
        },
        {
            .cookie_secret = "__TODO:_GENERATE_YOUR_OWN_RANDOM_VALUE_HERE__",
            .xsrf_cookies = true,  // POST, PUT, PATCH and DELETE must carry the token
            .login_url = "/login",
        });
    application.listen(8888);
    typhoon::ioloop::IOLoop::current().start();
}
// guide:end settings
