// Renders templates/users.html (a layout with blocks and a 100-row table with escaping) with
// Typhoon; template_bench.py does the same with Tornado. Prints "render <microseconds per render>";
// with --print, writes the page instead (run compares it with Tornado's); with a number N, renders
// N times and prints the bytes written (for `perf stat`).
#include <typhoon/core/json.hpp>
#include <typhoon/template.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
    const std::string here = argc > 1 ? argv[1] : "bench/template";
    const bool print = argc > 2 && std::string(argv[2]) == "--print";
    std::ifstream file(here + "/workload.json");
    if (!file) {
        std::cerr << "template_bench: cannot read " << here << "/workload.json\n";
        return 2;
    }
    std::stringstream text;
    text << file.rdbuf();
    const boost::json::object args = typhoon::escape::json_decode(text.str()).as_object();
    typhoon::templates::Loader loader(here + "/templates");
    const typhoon::templates::Template page = loader.load("users.html");
    if (print) {
        const std::string out = page.generate(args);
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }
    if (argc > 2) {  // a fixed number of renders, for `perf stat`
        std::size_t total = 0;
        for (int i = 0, n = std::stoi(argv[2]); i < n; ++i)
            total += page.generate(args).size();
        std::cout << total << '\n';
        return 0;
    }
    using clock = std::chrono::steady_clock;
    std::size_t sink = 0, iterations = 0;
    const auto start = clock::now();
    auto elapsed = clock::duration::zero();
    while (elapsed < std::chrono::milliseconds(1000)) {
        for (int i = 0; i < 64; ++i)
            sink += page.generate(args).size();
        iterations += 64;
        elapsed = clock::now() - start;
    }
    const double us = std::chrono::duration<double, std::micro>(elapsed).count() /
                      static_cast<double>(iterations);
    std::cout << "render " << us << (sink == 0 ? " (empty)" : "") << '\n';
}
