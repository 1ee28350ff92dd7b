#include "check_directory.hpp"

#include <typhoon/template.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace typhoon_template {

namespace fs = std::filesystem;
using typhoon::templates::Loader;
using typhoon::templates::ParseError;
using typhoon::templates::TemplateError;
using typhoon::templates::TemplateNotFound;

namespace {

// A message may quote a source that holds line breaks; a diagnostic must stay one line, or what
// follows a break would read as a diagnostic of its own.
std::string one_line(std::string text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else
            out += c;
    }
    return out;
}

}  // namespace

std::string in_dir(const std::string& dir, const std::string& name) {
    if (!name.empty() && name.front() == '/') return name;
    return (fs::path(dir) / name).lexically_normal().string();
}

std::string describe(const std::string& dir, const std::exception& e) {
    if (const auto* p = dynamic_cast<const ParseError*>(&e))
        return one_line(in_dir(dir, p->filename()) + ":" + std::to_string(p->lineno()) + ": " +
                        p->message());
    if (const auto* t = dynamic_cast<const TemplateError*>(&e))
        return one_line(in_dir(dir, t->filename()) + ":" + std::to_string(t->lineno()) + ": " +
                        t->type() + ": " + t->message() + " (in `" + t->expression() + "`)");
    if (const auto* n = dynamic_cast<const TemplateNotFound*>(&e))
        return one_line(in_dir(dir, n->name()) + ":0: template not found");
    return {};
}

std::vector<std::string> check_directory(const std::string& dir) {
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
    std::set<std::string> seen;
    std::vector<std::string> diagnostics;
    for (const std::string& name : names) {
        try {
            loader.load(name);
        } catch (const typhoon::Error& e) {
            std::string message = describe(dir, e);
            if (message.empty()) message = one_line(in_dir(dir, name) + ":0: " + e.what());
            if (seen.insert(message).second) diagnostics.push_back(std::move(message));
        }
    }
    return diagnostics;
}

}  // namespace typhoon_template
