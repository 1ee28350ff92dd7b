// tools/run templates → http://localhost:8888/?name=Ada, in the browser's language (English,
// French or Spanish: set Accept-Language, e.g. `curl -H 'Accept-Language: fr' ...`).
#include "templates_app.hpp"

#include <typhoon/core/log.hpp>
#include <typhoon/options.hpp>

int main(int argc, char** argv) {
    const auto port = typhoon::options::define("port", 8888, {.help = "run on the given port"});
    typhoon::options::parse_command_line_or_exit(argc, argv);

    auto application = templates_example::make_app(TEMPLATES_EXAMPLE_ROOT);
    application.listen(static_cast<std::uint16_t>(*port));
    typhoon::log::gen_log.info("serving http://localhost:" + std::to_string(*port) + "/");
    typhoon::ioloop::IOLoop::current().start();
}
