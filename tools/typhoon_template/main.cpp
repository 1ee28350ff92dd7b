// typhoon-template: render a template as Tornado would, or check every template of a directory.
//
//   typhoon-template render --path DIR NAME [--args FILE.json] [--autoescape FUNCTION|none]
//                           [--whitespace all|single|oneline]
//   typhoon-template check DIR
//
// Errors are printed as FILE:LINE: message, FILE being DIR/<template name>.

#include "check_directory.hpp"

#include <typhoon/core/json.hpp>
#include <typhoon/template.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using typhoon::templates::Loader;
using typhoon::templates::LoaderOptions;
using typhoon_template::describe;

int usage() {
    std::cerr << "usage: typhoon-template render --path DIR NAME [--args FILE.json] [--autoescape "
                 "FUNCTION|none]\n"
                 "                               [--whitespace all|single|oneline]\n"
                 "       typhoon-template check DIR\n";
    return 2;
}

int render(const std::vector<std::string>& args) {
    std::string dir, name, args_file;
    LoaderOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
            return args[++i];
        };
        if (a == "--path")
            dir = value();
        else if (a == "--args")
            args_file = value();
        else if (a == "--autoescape") {
            const std::string& f = value();
            options.autoescape = f == "none" || f == "None" ? "" : f;
        } else if (a == "--whitespace") {
            const std::string& w = value();
            if (w != "all" && w != "single" && w != "oneline")
                throw std::invalid_argument("invalid whitespace mode " + w);
            options.whitespace = w;
        } else if (!a.empty() && a[0] == '-')
            throw std::invalid_argument("unknown option " + a);
        else if (name.empty())
            name = a;
        else
            throw std::invalid_argument("unexpected argument " + a);
    }
    if (dir.empty() || name.empty()) return usage();
    boost::json::object object;
    if (!args_file.empty()) {
        std::ifstream in(args_file, std::ios::binary);
        if (!in) throw std::invalid_argument("cannot read " + args_file);
        std::ostringstream text;
        text << in.rdbuf();
        const boost::json::value value = typhoon::escape::json_decode(text.str());
        if (!value.is_object()) throw std::invalid_argument(args_file + " must hold a JSON object");
        object = value.get_object();
    }
    Loader loader(dir, std::move(options));
    try {
        const std::string out = loader.load(name).generate(object);
        std::fwrite(out.data(), 1, out.size(), stdout);
        return std::fflush(stdout) == 0 ? 0 : 1;
    } catch (const typhoon::Error& e) {
        const std::string message = describe(dir, e);
        std::cerr << (message.empty() ? e.what() : message) << "\n";
        return 1;
    }
}

int check(const std::vector<std::string>& args) {
    if (args.size() != 1) return usage();
    const std::vector<std::string> diagnostics = typhoon_template::check_directory(args[0]);
    for (const std::string& line : diagnostics)
        std::cerr << line << "\n";
    return diagnostics.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string command = argv[1];
    const std::vector<std::string> args(argv + 2, argv + argc);
    try {
        if (command == "render") return render(args);
        if (command == "check") return check(args);
    } catch (const std::exception& e) {
        std::cerr << "typhoon-template: " << e.what() << "\n";
        return 2;
    }
    return usage();
}
