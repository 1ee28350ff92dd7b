#include <typhoon/core.hpp>

#include <boost/json.hpp>

#include <iostream>

int main() {
    namespace escape = typhoon::escape;
    typhoon::log::gen_log.debug("linked");  // below the default level: proves the symbol links
    std::cout << escape::xhtml_escape("<typhoon>") << ' '
              << escape::json_encode(boost::json::object{{"ok", true}}) << '\n';
}
