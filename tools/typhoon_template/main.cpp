// typhoon-template: render a template as Tornado would, or check every template of a directory.
//
//   typhoon-template render --path DIR NAME [--args FILE.json] [--autoescape FUNCTION|none]
//                           [--whitespace all|single|oneline]
//   typhoon-template check DIR
//
// Errors are printed as FILE:LINE: message, FILE being DIR/<template name>.

#include <typhoon/core/json.hpp>
#include <typhoon/template.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using typhoon::templates::Loader;
using typhoon::templates::LoaderOptions;
using typhoon::templates::ParseError;
using typhoon::templates::TemplateError;
using typhoon::templates::TemplateNotFound;

int usage() {
    std::cerr << "usage: typhoon-template render --path DIR NAME [--args FILE.json] [--autoescape "
                 "FUNCTION|none]\n"
                 "                               [--whitespace all|single|oneline]\n"
                 "       typhoon-template check DIR\n";
    return 2;
}

std::string in_dir(const std::string& dir, const std::string& name) {
    if (!name.empty() && name.front() == '/') return name;
    return (fs::path(dir) / name).lexically_normal().string();
}

/// The error as FILE:LINE: message, or empty for an exception that is not a template error.
std::string describe(const std::string& dir, const std::exception& e) {
    if (const auto* p = dynamic_cast<const ParseError*>(&e))
        return in_dir(dir, p->filename()) + ":" + std::to_string(p->lineno()) + ": " + p->message();
    if (const auto* t = dynamic_cast<const TemplateError*>(&e))
        return in_dir(dir, t->filename()) + ":" + std::to_string(t->lineno()) + ": " + t->type() +
               ": " + t->message() + " (in `" + t->expression() + "`)";
    if (const auto* n = dynamic_cast<const TemplateNotFound*>(&e))
        return in_dir(dir, n->name()) + ":0: template not found";
    return {};
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
    const std::string& dir = args[0];
    if (!fs::is_directory(dir)) throw std::invalid_argument(dir + " is not a directory");
    std::vector<std::string> names;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
         ++it) {
        const std::string leaf = it->path().filename().string();
        if (!leaf.empty() && leaf[0] == '.') {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file()) names.push_back(fs::relative(it->path(), dir).generic_string());
    }
    std::sort(names.begin(), names.end());
    Loader loader(dir);
    std::set<std::string> reported;
    for (const std::string& name : names) {
        try {
            loader.load(name);
        } catch (const typhoon::Error& e) {
            std::string message = describe(dir, e);
            if (message.empty()) message = in_dir(dir, name) + ":0: " + e.what();
            if (reported.insert(message).second) std::cerr << message << "\n";
        }
    }
    return reported.empty() ? 0 : 1;
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
