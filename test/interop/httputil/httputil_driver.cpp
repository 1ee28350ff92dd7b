// Reads one JSON request per line ({"fn": ..., "args": [...]}) and answers each with one line:
// {"result": ...} or {"error": "<exception message>"}. Byte strings travel as hex, so that nothing
// is lost to UTF-8 on the way. httputil_interop.py drives it.
#include <typhoon/core.hpp>
#include <typhoon/http.hpp>

#include <boost/json.hpp>

#include <iostream>
#include <string>

namespace {

namespace bj = boost::json;
namespace http = typhoon::httputil;

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xF]);
    }
    return out;
}

bj::value arguments_json(const http::Arguments& arguments) {
    bj::object out;
    for (const auto& [name, values] : arguments) {
        bj::array list;
        for (const auto& value : values)
            list.emplace_back(hex(value));
        out[hex(name)] = std::move(list);
    }
    return out;
}

bj::value call(const bj::object& request) {
    const std::string fn(request.at("fn").as_string());
    const bj::array& args = request.at("args").as_array();
    const auto text = [&](std::size_t i) { return std::string(args.at(i).as_string()); };

    if (fn == "parse_qs_bytes")
        return arguments_json(
            http::parse_qs_bytes(text(0), {.keep_blank_values = args.at(1).as_bool()}));
    if (fn == "parse_cookie") {
        bj::object out;
        for (const auto& [name, value] : http::parse_cookie(text(0)))
            out[hex(name)] = hex(value);
        return out;
    }
    if (fn == "url_concat") {
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const auto& pair : args.at(1).as_array())
            pairs.emplace_back(pair.as_array().at(0).as_string(),
                               pair.as_array().at(1).as_string());
        return bj::value(http::url_concat(text(0), pairs));
    }
    if (fn == "split_host_and_port") {
        const auto [host, port] = http::split_host_and_port(text(0));
        return bj::array{bj::value(host), port ? bj::value(*port) : bj::value(nullptr)};
    }
    if (fn == "headers_parse") {
        const auto headers = http::HTTPHeaders::parse(text(0));  // get_all() views into it
        bj::array out;
        for (const auto& [name, value] : headers.get_all())
            out.push_back(bj::array{bj::value(name), bj::value(value)});
        return out;
    }
    if (fn == "multipart") {
        http::Arguments arguments;
        http::Files files;
        http::parse_body_arguments(text(0), text(1), arguments, files);
        bj::object file_json;
        for (const auto& [name, list] : files) {
            bj::array entries;
            for (const auto& file : list)
                entries.push_back(bj::array{bj::value(file.filename), bj::value(hex(file.body)),
                                            bj::value(file.content_type)});
            file_json[name] = std::move(entries);
        }
        return bj::array{arguments_json(arguments), file_json};
    }
    if (fn == "request_line") {
        const auto line = http::parse_request_start_line(text(0));
        return bj::array{bj::value(line.method), bj::value(line.path), bj::value(line.version)};
    }
    if (fn == "response_line") {
        const auto line = http::parse_response_start_line(text(0));
        return bj::array{bj::value(line.version), bj::value(line.code), bj::value(line.reason)};
    }
    throw std::invalid_argument("unknown function " + fn);
}

}  // namespace

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        bj::object answer;
        try {
            answer["result"] = call(bj::parse(line).as_object());
        } catch (const std::exception& e) {
            answer["error"] = e.what();
        }
        std::cout << typhoon::escape::json_encode(answer) << '\n';
    }
}
