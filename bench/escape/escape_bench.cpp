// Times tornado.escape's functions in Typhoon on the workload that escape_bench.py times in Python.
// Prints "<function> <nanoseconds per call>" per line; tools/bench compares the two.
#include <typhoon/core.hpp>

#include <boost/json.hpp>

#include "../common/time_it.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
    namespace escape = typhoon::escape;
    const std::string path = argc > 1 ? argv[1] : "bench/escape/workload.json";
    std::ifstream file(path);
    if (!file) {
        std::cerr << "escape_bench: cannot read " << path << '\n';
        return 2;
    }
    std::stringstream text;
    text << file.rdbuf();
    const boost::json::value workload = escape::json_decode(text.str());
    const std::string comment(workload.at("comment").as_string());
    const std::string query(workload.at("query").as_string());
    const boost::json::value& entry = workload.at("entry");
    const std::string escaped = escape::xhtml_escape(comment);
    const std::string quoted = escape::url_escape(query);
    const std::string encoded = escape::json_encode(entry);

    typhoon_bench::time_it("xhtml_escape", [&] { return escape::xhtml_escape(comment); });
    typhoon_bench::time_it("xhtml_unescape", [&] { return escape::xhtml_unescape(escaped); });
    typhoon_bench::time_it("url_escape", [&] { return escape::url_escape(query); });
    typhoon_bench::time_it("url_unescape", [&] { return escape::url_unescape(quoted); });
    typhoon_bench::time_it("json_encode", [&] { return escape::json_encode(entry); });
    typhoon_bench::time_it("json_decode", [&] { return escape::json_decode(encoded).as_object(); });
    typhoon_bench::time_it("squeeze", [&] { return escape::squeeze(comment); });
    typhoon_bench::time_it("linkify", [&] { return escape::linkify(comment, {.shorten = true}); });
}
