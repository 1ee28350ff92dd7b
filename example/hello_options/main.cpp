// The options half of Tornado's "Hello, world" with tornado.options:
//
//     define("port", default=8000, help="run on the given port", type=int)
//     define("greeting", default="Hello", help="the word the page greets with")
//     tornado.options.parse_command_line()
//
// Until typhoon::web exists it prints what it would serve instead of serving it.
//
//     hello_options --port=8080 --greeting=Hi
//     hello_options --help
#include <typhoon/options.hpp>

#include <iostream>

namespace options = typhoon::options;

int main(int argc, char** argv) {
    const auto port = options::define("port", 8000, {.help = "run on the given port"});
    const auto greeting =
        options::define("greeting", "Hello", {.help = "the word the page greets with"});
    options::parse_command_line_or_exit(argc, argv);  // a bad option names itself and exits 2

    std::cout << "Would serve http://localhost:" << *port << "/\n"
              << "GET / -> " << *greeting << ", friendly user!\n";
}
