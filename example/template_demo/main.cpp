// Renders a small page with typhoon::templates, as tornado.template would: a layout with blocks,
// a child template, a loop with escaping, and a function registered by the application.
//
//   template_demo            # prints the page
#include <typhoon/template.hpp>

#include <iostream>

int main() {
    namespace json = boost::json;
    using namespace typhoon::templates;

    LoaderOptions options;
    options.names.add_function("shout", [](const json::array& args, const json::object&) {
        std::string text(args.at(0).as_string());
        for (char& c : text)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return json::value(text + "!");
    });
    DictLoader loader(
        {
            {"base.html",
             "<html><head><title>{% block title %}Typhoon{% end %}</title></head>\n"
             "<body>{% block body %}{% end %}</body></html>\n"},
            {"todo.html",
             "{% extends \"base.html\" %}\n"
             "{% block title %}{{ shout(owner) }}'s list{% end %}\n"
             "{% block body %}\n"
             "  <ul>\n"
             "  {% for i, item in enumerate(items, 1) %}\n"
             "    <li class=\"{{ 'done' if item.done else 'open' }}\">{{ i }}. {{ item.text "
             "}}</li>\n"
             "  {% end %}\n"
             "  </ul>\n"
             "  <p>{{ len([i for i in items if not i.done]) }} left</p>\n"
             "{% end %}\n"},
        },
        std::move(options));

    const json::object args = {
        {"owner", "ann"},
        {"items", json::array{json::object{{"text", "Write <templates>"}, {"done", true}},
                              json::object{{"text", "Benchmark & compare"}, {"done", false}}}},
    };
    try {
        std::cout << loader.load("todo.html").generate(args);
    } catch (const typhoon::Error& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
}
