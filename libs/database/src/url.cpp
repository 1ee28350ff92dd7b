// Database URLs (sqlite:///file.db, mysql://user:password@host:port/db?charset=...) into Settings.

#include "backend.hpp"

#include <typhoon/database/errors.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace typhoon::database::detail {

namespace {

std::string decode(std::string_view text, std::string_view url) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        unsigned byte = 0;
        if (i + 2 >= text.size() ||
            std::from_chars(text.data() + i + 1, text.data() + i + 3, byte, 16).ptr !=
                text.data() + i + 3)
            throw InterfaceError("bad percent-escape in database URL '" + std::string(url) + "'");
        out += static_cast<char>(byte);
        i += 2;
    }
    return out;
}

long to_number(std::string_view name, const std::string& value, std::string_view url) {
    long number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size() || number < 0)
        throw InterfaceError("option " + std::string(name) + " in database URL '" +
                             std::string(url) + "' is not a number of the right size");
    return number;
}

/// Applies the pool's options of `query`; returns the rest, which PostgreSQL's URL leaves to
/// libpq (sslmode, application_name, ...). Other engines refuse what they do not know.
std::string apply_query(std::string_view query, Settings& settings, std::string_view url) {
    std::string rest;
    auto& options = settings.options;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        auto name = decode(pair.substr(0, eq), url);
        auto value =
            eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1), url);
        using std::chrono::milliseconds;
        using std::chrono::seconds;
        if (name == "max_connections")
            options.max_connections = static_cast<int>(to_number(name, value, url));
        else if (name == "max_idle_time")
            options.max_idle_time = seconds(to_number(name, value, url));
        else if (name == "connect_timeout")
            options.connect_timeout = seconds(to_number(name, value, url));
        else if (name == "pool_timeout")
            options.pool_timeout = seconds(to_number(name, value, url));
        else if (settings.engine == Engine::mysql && name == "charset")
            options.charset = value;
        else if (settings.engine == Engine::mysql && name == "time_zone")
            options.time_zone = value;
        else if (settings.engine == Engine::mysql && name == "sql_mode")
            options.sql_mode = value;
        else if (settings.engine == Engine::mysql && name == "unix_socket")
            settings.unix_socket = value;
        else if (settings.engine == Engine::postgresql)
            rest += (rest.empty() ? "" : "&") + std::string(pair);
        else
            throw InterfaceError("unknown option '" + name + "' in database URL '" +
                                 std::string(url) + "'");
    }
    return rest;
}

void check(const Settings& settings) {
    if (settings.options.max_connections < 1)
        throw InterfaceError("max_connections must be at least 1");
}

void split_host(Settings& settings, std::string_view host, std::string_view url) {
    if (!host.empty() && host.front() == '/') {  // torndb: a host that is a path is a socket
        settings.unix_socket = std::string(host);
        settings.host = "localhost";
        return;
    }
    std::string_view port;
    if (!host.empty() && host.front() == '[') {  // [::1]:3306
        auto close = host.find(']');
        if (close == std::string_view::npos)
            throw InterfaceError("unclosed '[' in the host of '" + std::string(url) + "'");
        port = host.substr(close + 1);
        host = host.substr(1, close - 1);
        if (!port.empty() && port.front() != ':')
            throw InterfaceError("junk after ']' in the host of '" + std::string(url) + "'");
        if (!port.empty()) port.remove_prefix(1);
    } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    settings.host = host.empty() ? "localhost" : std::string(host);
    if (!port.empty()) {
        auto number = to_number("port", std::string(port), url);
        if (number < 1 || number > 65535)
            throw InterfaceError("port out of range in '" + std::string(url) + "'");
        settings.port = static_cast<unsigned>(number);
    }
}

}  // namespace

Settings parse_url(std::string_view url, ConnectionOptions options) {
    auto separator = url.find("://");
    if (separator == std::string_view::npos)
        throw InterfaceError("database URL '" + std::string(url) +
                             "' has no scheme: write sqlite:///file.db, sqlite://:memory: or "
                             "mysql://user:password@host:port/database");
    std::string scheme(url.substr(0, separator));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto rest = url.substr(separator + 3);
    auto question = rest.find('?');
    auto query =
        question == std::string_view::npos ? std::string_view() : rest.substr(question + 1);
    rest = rest.substr(0, question);

    Settings settings;
    settings.options = std::move(options);
    if (scheme == "sqlite" || scheme == "sqlite3") {
        settings.engine = Engine::sqlite;
        // SQLAlchemy's spelling: three slashes and a relative path, four for an absolute one.
        if (rest.empty() || rest == ":memory:" || rest == "/:memory:")
            settings.path = ":memory:";
        else if (rest.front() == '/' && rest.size() > 1)
            settings.path = decode(rest.substr(1), url);
        else
            throw InterfaceError("SQLite URL '" + std::string(url) +
                                 "': write sqlite:///relative.db, sqlite:////absolute.db or "
                                 "sqlite://:memory:");
    } else if (scheme == "mysql" || scheme == "mariadb") {
        settings.engine = Engine::mysql;
        auto slash = rest.find('/');
        auto authority = rest.substr(0, slash);
        if (slash != std::string_view::npos)
            settings.options.database = decode(rest.substr(slash + 1), url);
        if (auto at = authority.rfind('@'); at != std::string_view::npos) {
            auto userinfo = authority.substr(0, at);
            authority = authority.substr(at + 1);
            auto colon = userinfo.find(':');
            settings.options.user = decode(userinfo.substr(0, colon), url);
            if (colon != std::string_view::npos)
                settings.options.password = decode(userinfo.substr(colon + 1), url);
        }
        split_host(settings, decode(authority, url), url);
        settings.options.host = settings.host;
    } else if (scheme == "postgresql" || scheme == "postgres") {
        // libpq reads the rest of the URL itself (hosts, a socket directory, sslmode, ...).
        settings.engine = Engine::postgresql;
        auto rest_of_query = apply_query(query, settings, url);
        settings.conninfo = "postgresql://" + std::string(rest);
        if (!rest_of_query.empty()) settings.conninfo += "?" + rest_of_query;
        check_conninfo(settings.conninfo);
        check(settings);
        return settings;
    } else {
        throw InterfaceError("unknown database scheme '" + scheme + "' in '" + std::string(url) +
                             "': sqlite, mysql (or mariadb) and postgresql are supported");
    }
    apply_query(query, settings, url);
    check(settings);
    return settings;
}

Settings mysql_settings(ConnectionOptions options) {
    Settings settings;
    settings.engine = Engine::mysql;
    std::string host = options.host;
    settings.options = std::move(options);
    split_host(settings, host, host);
    check(settings);
    return settings;
}

}  // namespace typhoon::database::detail
