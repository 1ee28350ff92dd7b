// tornado.options on arbitrary text, in a fresh OptionParser per input with options of every
// type (int, a narrow int, float, bool, str, multiple int and str, timedelta, datetime, one with
// no default). The input is read as a config file by parse_config_text(), then split on NUL and
// newline into the arguments of parse_command_line(). Only options::Error may escape, a config
// error names the file and line, the command line returns a suffix of its arguments, and every
// value read back afterwards is the last one its callback saw.

#include "check.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/options/error.hpp>
#include <typhoon/options/option_parser.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace typhoon::options;

namespace {

using fuzz_support::check;

// What each option's callback last received; the option must read the same afterwards.
template <class T>
struct Seen {
    std::optional<T> last;
    DefineOptions<T> callback() {
        return {.callback = [this](const T& value) { last = value; }};
    }
    void matches(const Option<T>& option) const {
        if (last) check(option.optional() == last, "an option differs from what its callback saw");
    }
};

struct Options {
    OptionParser parser;
    Seen<int> port_seen;
    Seen<std::uint8_t> level_seen;
    Seen<double> ratio_seen;
    Seen<bool> debug_seen;
    Seen<std::string> host_seen;
    Seen<std::vector<int>> ports_seen;
    Seen<std::vector<std::string>> names_seen;
    Seen<std::chrono::milliseconds> timeout_seen;
    Seen<DateTime> start_seen;
    Option<int> port = parser.define("port", 8000, port_seen.callback());
    Option<std::uint8_t> level = parser.define<std::uint8_t>("level", 1, level_seen.callback());
    Option<double> ratio = parser.define("ratio", 0.5, ratio_seen.callback());
    Option<bool> debug = parser.define("debug", false, debug_seen.callback());
    Option<std::string> host = parser.define<std::string>("host", host_seen.callback());
    Option<std::vector<int>> ports =
        parser.define<std::vector<int>>("ports", {80, 443}, ports_seen.callback());
    Option<std::vector<std::string>> names =
        parser.define<std::vector<std::string>>("names", names_seen.callback());
    Option<std::chrono::milliseconds> timeout = parser.define<std::chrono::milliseconds>(
        "request_timeout", std::chrono::milliseconds(1500), timeout_seen.callback());
    Option<DateTime> start = parser.define<DateTime>("start", start_seen.callback());

    void read_back() const {
        port_seen.matches(port);
        level_seen.matches(level);
        ratio_seen.matches(ratio);
        debug_seen.matches(debug);
        host_seen.matches(host);
        ports_seen.matches(ports);
        names_seen.matches(names);
        timeout_seen.matches(timeout);
        start_seen.matches(start);
        check(ports.has_value() && names.has_value(), "a multiple option became None");
        for (const std::string& name : parser.names())
            check(parser.contains(name), "lost a name");
    }
};

// Every parser has --help, whose callback prints and exits: a correct behaviour the fuzzer would
// report as a crash, so the name is made unreachable.
std::string without_help(std::string_view input) {
    std::string text(input);
    for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
        const auto lower = [&](std::size_t k) {
            return static_cast<char>(std::tolower(static_cast<unsigned char>(text[i + k])));
        };
        if (lower(0) == 'h' && lower(1) == 'e' && lower(2) == 'l' && lower(3) == 'p') text[i] = 'x';
    }
    return text;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    typhoon::log::clear_handlers();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input =
        without_help(std::string_view(reinterpret_cast<const char*>(data), size));

    {
        Options config;
        try {
            config.parser.parse_config_text(input, "fuzz.cfg");
        } catch (const Error& e) {
            check(std::string_view(e.what()).starts_with("fuzz.cfg:"),
                  "a config error does not start with \"<path>:\"");
            const std::string_view after = std::string_view(e.what()).substr(9);
            check(!after.empty() && std::isdigit(static_cast<unsigned char>(after[0])),
                  "a config error names no line");
        }
        config.read_back();
    }

    std::vector<std::string> args{"fuzz"};
    std::size_t start = 0;
    for (std::size_t i = 0; i <= input.size(); ++i)
        if (i == input.size() || input[i] == '\0' || input[i] == '\n') {
            args.push_back(input.substr(start, i - start));
            start = i + 1;
        }
    Options command_line;
    try {
        const std::vector<std::string> rest = command_line.parser.parse_command_line(args);
        check(rest.size() < args.size() &&
                  std::equal(rest.begin(), rest.end(), args.end() - static_cast<long>(rest.size())),
              "parse_command_line did not return a suffix of its arguments");
    } catch (const Error&) {
    }
    command_line.read_back();
    return 0;
}
