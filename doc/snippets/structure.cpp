// The structure chapter: the Application, its routes, and the handlers' life cycle.
#include <typhoon/ioloop.hpp>
#include <typhoon/web.hpp>

#include <map>
#include <string>

using boost::asio::awaitable;
namespace web = typhoon::web;

// guide:begin story
/// The data the handlers share; the application outlives every request.
struct StoryStore {
    std::map<std::string, std::string, std::less<>> stories{{"1", "Once upon a time"}};
};

class StoryHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;

    // Tornado's initialize(self, db): the route's arguments, once per request.
    void initialize(StoryStore& store) { store_ = &store; }

    awaitable<void> get() override {
        const std::string& story_id = path_args().at(0);  // the pattern's first group
        const auto story = store_->stories.find(story_id);
        if (story == store_->stories.end())
            throw web::HTTPError(404, "no story " + story_id);  // logged, never shown
        write("this is story " + story_id + ": " + story->second);
        co_return;
    }

private:
    StoryStore* store_ = nullptr;
};
// guide:end story

// guide:begin form
class MyFormHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        write(R"(<html><body><form action="/myform" method="POST">)"
              R"(<input type="text" name="message"><input type="submit" value="Submit">)"
              R"(</form></body></html>)");
        co_return;
    }
    awaitable<void> post() override {
        set_header("Content-Type", "text/plain");
        // Without a default, a missing argument answers 400 (MissingArgumentError).
        write("You wrote " + get_body_argument("message"));
        co_return;
    }
};
// guide:end form

// guide:begin overrides
class BaseHandler : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;

    // Runs before get()/post(); finishing here (e.g. a redirect) skips the method.
    awaitable<void> prepare() override {
        if (request().host_name == "old.example.com")
            redirect("https://example.com" + request().uri, {.permanent = true});
        co_return;
    }

    void set_default_headers() override { set_header("Server", "MyServer"); }

    // The error page for every HTTPError or exception of handlers deriving from this one.
    void write_error(int status_code, std::exception_ptr error) override {
        (void)error;
        write("<html><body>Sorry, error " + std::to_string(status_code) + "</body></html>");
    }

    void on_finish() override { ++requests_answered; }
    static inline int requests_answered = 0;
};
// guide:end overrides

// guide:begin application
int main() {
    StoryStore store;
    web::Application application(
        {
            web::url<MyFormHandler>("/myform"),
            web::url<StoryHandler>(R"(/story/([0-9]+))", {.name = "story"}, std::ref(store)),
            web::url<web::RedirectHandler>("/app", {}, "/app/"),  // constant redirect
        },
        {.debug = false, .template_path = "templates", .static_path = "static"});
    application.listen(8888);
    typhoon::ioloop::IOLoop::current().start();
}
// guide:end application

// guide:begin reverse
class IndexHandler : public BaseHandler {
public:
    using BaseHandler::BaseHandler;
    awaitable<void> get() override {
        // reverse_url("story", {"1"}) is "/story/1": links follow the route table.
        write(R"(<a href=")" + reverse_url("story", {"1"}) + R"(">Story 1</a>)");
        co_return;
    }
};
// guide:end reverse
