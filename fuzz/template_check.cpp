// The diagnostics of `typhoon-template check` on a folder of hostile templates. The input holds
// up to three sources separated by a line "====": page.html, base.html and parts/row.html, which
// may extend and include one another (in cycles too), or names that are not there. Checking the
// folder either ends with a list of diagnostics or with nothing to say, never with another
// exception, and each diagnostic is one line; one that names a template of the folder points at
// a line of it (1 to its number of lines, the one after the last for an error at its end).

#include "check.hpp"

#include <check_directory.hpp>  // tools/typhoon_template

#include <typhoon/core/log.hpp>

#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace fs = std::filesystem;

namespace {

using fuzz_support::check;

constexpr std::array<const char*, 3> names{"page.html", "base.html", "parts/row.html"};
fs::path* folder = nullptr;

std::size_t line_count(std::string_view source) {
    std::size_t lines = 1;
    for (const char c : source)
        lines += c == '\n';
    return lines;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    typhoon::log::clear_handlers();
    folder = new fs::path(fs::temp_directory_path() /
                          ("typhoon-fuzz-template-check-" + std::to_string(::getpid())));
    fs::create_directories(*folder / "parts");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::array<std::string_view, names.size()> sources;
    std::size_t count = 0;
    for (; count < names.size() && !input.empty(); ++count) {
        const auto end = input.find("\n====\n");
        sources[count] = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 6);
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        const fs::path path = *folder / names[i];
        if (i < count)
            std::ofstream(path, std::ios::binary | std::ios::trunc)
                .write(sources[i].data(), static_cast<std::streamsize>(sources[i].size()));
        else
            fs::remove(path);
    }

    const std::string dir = folder->string();
    for (const std::string& line : typhoon_template::check_directory(dir)) {
        check(line.find_first_of("\r\n") == std::string::npos, "a diagnostic of several lines");
        for (std::size_t i = 0; i < count; ++i) {
            const std::string prefix = dir + "/" + names[i] + ":";
            if (!line.starts_with(prefix)) continue;
            const std::size_t digits = line.find_first_not_of("0123456789", prefix.size());
            check(digits != prefix.size() && digits - prefix.size() < 10 &&
                      digits != std::string::npos && line.compare(digits, 2, ": ") == 0,
                  "a diagnostic without FILE:LINE: ");
            const unsigned long lineno =
                std::stoul(line.substr(prefix.size(), digits - prefix.size()));
            check(lineno >= 1 && lineno <= line_count(sources[i]),
                  "a diagnostic pointing outside its template");
        }
    }
    return 0;
}
