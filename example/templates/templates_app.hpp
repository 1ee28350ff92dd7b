// A page with a layout, blocks, a loop, a UI module and translations: the templates chapter of
// the guide in one application.
#include <typhoon/ioloop.hpp>
#include <typhoon/locale.hpp>
#include <typhoon/web.hpp>

#include <string>

namespace templates_example {
namespace web = typhoon::web;
namespace json = boost::json;

/// One book of the list, rendered by its own template; its stylesheet is added to the page once.
class BookModule final : public web::UIModule {
public:
    using UIModule::UIModule;
    std::string render(const json::array& args, const json::object&) override {
        return render_string("modules/book.html", {{"book", args.at(0)}});
    }
    std::string embedded_css() override { return ".book { margin: 1em 0; }"; }
};

class MainHandler final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    boost::asio::awaitable<void> get() override {
        const json::array books{
            json::object{{"title", "Le Petit Prince"}, {"author", "Antoine de Saint-Exupéry"}},
            json::object{{"title", "Fahrenheit 451"}, {"author", "Ray Bradbury"}},
            json::object{{"title", "<Untitled & unknown>"}, {"author", "Anonymous"}},
        };
        render("index.html", {{"books", books}, {"visitor", get_argument("name", "friend")}});
        co_return;
    }
};

/// `root` holds templates/ and translations/.
inline web::Application make_app(const std::string& root) {
    typhoon::locale::load_translations(root + "/translations");
    return web::Application({web::url<MainHandler>("/")},
                            {.template_path = root + "/templates",
                             .ui_modules = {{"Book", web::ui_module<BookModule>()}}});
}
}  // namespace templates_example
