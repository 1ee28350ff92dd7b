// escape_demo: what tornado.escape does to a piece of user text, and a log line in Tornado's
// format.
//
//   tools/run escape_demo "Read http://www.tornadoweb.org/ & say <hi>"
#include <typhoon/core.hpp>

#include <boost/json.hpp>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
    namespace escape = typhoon::escape;
    const std::string text =
        argc > 1 ? argv[1] : "Visit http://www.tornadoweb.org/en/stable/ & say <hi>!";

    std::cout << "text:          " << text << '\n'
              << "xhtml_escape:  " << escape::xhtml_escape(text) << '\n'
              << "url_escape:    " << escape::url_escape(text) << '\n'
              << "json_encode:   " << escape::json_encode(boost::json::object{{"text", text}})
              << '\n'
              << "linkify:       " << escape::linkify(text, {.shorten = true}) << '\n'
              << "squeeze:       " << escape::squeeze(text) << '\n';
    typhoon::log::gen_log.info("escaped " + std::to_string(text.size()) + " bytes");
}
