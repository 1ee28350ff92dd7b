// "Sign in with Google" and GitHub, as Tornado's google_auth demo:
//
//     tools/run auth_login                      offline, against the fake providers it serves
//     tools/run auth_login --provider=real --google_oauth_key=... --google_oauth_secret=...
//                          --github_key=... --github_secret=... --cookie_secret=...
//     tools/run auth_login --sessions=redis://127.0.0.1:6379/0     the user in a session
//                          (or --sessions=sqlite:///sessions.db, --sessions=memory://)
//
// then http://localhost:8888/. With real providers, register http://localhost:8888/auth/google
// and http://localhost:8888/auth/github as the redirect URIs.
#include "auth_login.hpp"

#include <typhoon/ioloop.hpp>
#include <typhoon/options.hpp>

#include <iostream>
#include <optional>

namespace options = typhoon::options;

int main(int argc, char** argv) {
    const auto port = options::define("port", 8888, {.help = "run on the given port"});
    const auto provider = options::define(
        "provider", std::string("fake"),
        {.help = "fake (offline, served by this process) or real (Google and GitHub)"});
    const auto cookie_secret =
        options::define("cookie_secret", std::string("auth_login demo secret: change me"),
                        {.help = "secret that signs the user cookie"});
    const auto google_key = options::define("google_oauth_key", std::string(), {});
    const auto google_secret = options::define("google_oauth_secret", std::string(), {});
    const auto github_key = options::define("github_key", std::string(), {});
    const auto github_secret = options::define("github_secret", std::string(), {});
    const auto sessions = options::define(
        "sessions", std::string(),
        {.help = "keep the user in a server-side session: memory://, redis://HOST:PORT/DB or "
                 "sqlite:///PATH (default: in a signed cookie)"});
    options::parse_command_line_or_exit(argc, argv);

    auth_login::AuthLoginOptions settings{.provider = *provider,
                                          .cookie_secret = *cookie_secret,
                                          .google_key = *google_key,
                                          .google_secret = *google_secret,
                                          .github_key = *github_key,
                                          .github_secret = *github_secret};
    auth_login::FakeProviders fakes;
    try {
        std::optional<auth_login::SessionBackend> backend;
        if (!sessions->empty()) settings.sessions = &backend.emplace(*sessions).store();
        auto application = auth_login::make_app(settings, fakes);
        application.listen(static_cast<std::uint16_t>(*port));
        std::cout << "auth_login (" << settings.provider
                  << " providers) on http://localhost:" << *port << "/" << std::endl;
        typhoon::ioloop::IOLoop::current().start();
    } catch (const typhoon::Error& error) {
        std::cerr << "error: " << error.what() << "\n";
        return 2;
    }
}
