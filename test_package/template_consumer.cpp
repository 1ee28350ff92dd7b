#include <typhoon/template.hpp>

#include <iostream>

int main() {
    const typhoon::templates::Template page(
        "<h1>{{ title }}</h1>{% for x in items %}<i>{{ x }}</i>{% end %}");
    const std::string html =
        page.generate({{"title", "<conan>"}, {"items", boost::json::array{1, 2}}});
    std::cout << "template_consumer: " << html << '\n';
    return html == "<h1>&lt;conan&gt;</h1><i>1</i><i>2</i>" ? 0 : 1;
}
