#include <typhoon/template/loader.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace typhoon::templates {

namespace {

/// posixpath.normpath.
std::string normpath(std::string_view path) {
    if (path.empty()) return ".";
    const bool absolute = path.front() == '/';
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const auto slash = path.find('/', pos);
        const std::string_view part =
            path.substr(pos, slash == std::string_view::npos ? path.npos : slash - pos);
        if (part == "..") {
            if (!parts.empty() && parts.back() != "..")
                parts.pop_back();
            else if (!absolute)
                parts.push_back(part);
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        if (slash == std::string_view::npos) break;
        pos = slash + 1;
    }
    std::string out = absolute ? "/" : "";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out.push_back('/');
        out += parts[i];
    }
    return out.empty() ? "." : out;
}

std::string dirname(std::string_view path) {
    const auto slash = path.rfind('/');
    if (slash == std::string_view::npos) return {};
    std::string head(path.substr(0, slash + 1));
    if (head.find_first_not_of('/') != std::string::npos)
        while (!head.empty() && head.back() == '/')
            head.pop_back();
    return head;
}

std::string join(std::string_view a, std::string_view b) {
    if (!b.empty() && b.front() == '/') return std::string(b);
    if (a.empty() || a.back() == '/') return std::string(a) + std::string(b);
    return std::string(a) + "/" + std::string(b);
}

bool relative_to_parent(std::string_view name, std::string_view parent_path) {
    return !parent_path.empty() && parent_path.front() != '<' && parent_path.front() != '/' &&
           (name.empty() || name.front() != '/');
}

}  // namespace

BaseLoader::BaseLoader(LoaderOptions options) : options_(std::move(options)) {}
BaseLoader::~BaseLoader() = default;

Template BaseLoader::load(std::string_view name, std::string_view parent_path) {
    const std::string resolved = resolve_path(name, parent_path);
    std::lock_guard lock(mutex_);
    if (const auto it = templates_.find(resolved); it != templates_.end()) return it->second;
    Template t(read_source(resolved), {.name = resolved, .loader = this});
    templates_.insert_or_assign(resolved, t);
    return t;
}

void BaseLoader::reset() {
    std::lock_guard lock(mutex_);
    templates_.clear();
}

Loader::Loader(std::string_view root_directory, LoaderOptions options)
    : BaseLoader(std::move(options)),
      root_(normpath(
          std::filesystem::absolute(std::filesystem::path(std::string(root_directory))).string())) {
}

std::string Loader::resolve_path(std::string_view name, std::string_view parent_path) const {
    if (relative_to_parent(name, parent_path)) {
        const std::string current = join(root_, parent_path);
        const std::string file_dir = dirname(normpath(current));
        const std::string relative = normpath(join(file_dir, name));
        if (relative.compare(0, root_.size(), root_) == 0)
            return relative.substr(std::min(relative.size(), root_.size() + 1));
    }
    return std::string(name);
}

std::string Loader::read_source(const std::string& name) const {
    const std::string path = join(root_, name);
    // The file system would read the path only up to a NUL: "a.html\0b" would open a.html
    // under another name (Python's open() refuses it too).
    if (path.find('\0') != std::string::npos) throw TemplateNotFound(name);
    std::ifstream file(path, std::ios::binary);
    if (!file || std::filesystem::is_directory(path)) throw TemplateNotFound(name);
    std::ostringstream contents;
    contents << file.rdbuf();
    return std::move(contents).str();
}

DictLoader::DictLoader(Sources templates, LoaderOptions options)
    : BaseLoader(std::move(options)), sources_(std::move(templates)) {}

std::string DictLoader::resolve_path(std::string_view name, std::string_view parent_path) const {
    if (relative_to_parent(name, parent_path)) return normpath(join(dirname(parent_path), name));
    return std::string(name);
}

std::string DictLoader::read_source(const std::string& name) const {
    const auto it = sources_.find(name);
    if (it == sources_.end()) throw TemplateNotFound(name);
    return it->second;
}

}  // namespace typhoon::templates
