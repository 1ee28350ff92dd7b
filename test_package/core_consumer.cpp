#include <typhoon/core.hpp>

#include <boost/json.hpp>

#include <iostream>

int main() {
    namespace escape = typhoon::escape;
    const std::string page = escape::xhtml_escape("<conan>");
    std::cout << "core_consumer: " << page << ' ' << escape::json_encode(boost::json::array{1, 2.5})
              << '\n';
    return page == "&lt;conan&gt;" ? 0 : 1;
}
