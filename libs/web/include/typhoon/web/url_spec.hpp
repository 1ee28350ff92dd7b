#ifndef TYPHOON_WEB_URL_SPEC_HPP
#define TYPHOON_WEB_URL_SPEC_HPP

#include <typhoon/web/request_handler.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace typhoon::web {

/// The HTTP methods a handler class overrides, one bit each (for 405 answers and `Allow`).
namespace methods {
///@{
/// The bit of the RequestHandler method of the same name; `delete_` is DELETE.
inline constexpr unsigned get = 1, head = 2, post = 4, delete_ = 8, patch = 16, put = 32,
                          options = 64;
///@}
}  // namespace methods

namespace detail {

// Route arguments reach initialize() as const lvalues, except std::ref(x), which gives x itself.
template <class T>
const T& unwrap(const T& value) {
    return value;
}
template <class T>
T& unwrap(const std::reference_wrapper<T>& reference) {
    return reference.get();
}

// A handler class "serves" a method when it (or a base between it and RequestHandler) overrides
// it: then &H::get names a member of that class, not RequestHandler's.
template <class H>
constexpr unsigned overridden_methods() {
    using Entry = awaitable<void> (RequestHandler::*)();
    unsigned mask = 0;
    if constexpr (!std::is_same_v<decltype(&H::get), Entry>) mask |= methods::get;
    if constexpr (!std::is_same_v<decltype(&H::head), Entry>) mask |= methods::head;
    if constexpr (!std::is_same_v<decltype(&H::post), Entry>) mask |= methods::post;
    if constexpr (!std::is_same_v<decltype(&H::delete_), Entry>) mask |= methods::delete_;
    if constexpr (!std::is_same_v<decltype(&H::patch), Entry>) mask |= methods::patch;
    if constexpr (!std::is_same_v<decltype(&H::put), Entry>) mask |= methods::put;
    if constexpr (!std::is_same_v<decltype(&H::options), Entry>) mask |= methods::options;
    return mask;
}

template <class H>
constexpr bool streams_request_body() {
    if constexpr (requires { H::stream_request_body; })
        return H::stream_request_body;
    else
        return false;
}

template <class H>
constexpr bool overrides_prepare() {
    return !std::is_same_v<decltype(&H::prepare), awaitable<void> (RequestHandler::*)()>;
}

template <class H>
constexpr bool overrides_on_connection_close() {
    return !std::is_same_v<decltype(&H::on_connection_close), void (RequestHandler::*)()>;
}

struct PathPattern;

}  // namespace detail

/** Makes the handler of one request and calls its initialize() with the route's arguments
    (Tornado's handler class plus its `kwargs`). Built by handler<H>(args...). */
class HandlerFactory {
public:
    /// Constructs the handler for a request and calls its initialize().
    using Make = std::function<std::unique_ptr<RequestHandler>(
        Application&, httputil::HTTPServerRequest&, httputil::HTTPConnection&)>;

    /// An empty factory (false when tested); a route needs one from handler<H>().
    HandlerFactory() = default;
    /// `calls_prepare`: false when the class keeps RequestHandler's empty prepare(), which is then
    /// skipped (one coroutine less per request).
    /// `streams_body`: the class declares `stream_request_body` (see
    /// RequestHandler::data_received).
    /// `watches_close`: the class overrides on_connection_close(), so the connection watches the
    /// client while the handler works.
    HandlerFactory(Make make, unsigned allowed_methods, bool calls_prepare = true,
                   bool streams_body = false, bool watches_close = false)
        : make_(std::move(make)),
          allowed_methods_(allowed_methods),
          calls_prepare_(calls_prepare),
          streams_body_(streams_body),
          watches_close_(watches_close) {}

    /// A new handler for `request`, initialized with the route's arguments; its constructor's
    /// and initialize()'s exceptions propagate (the server answers 500).
    std::unique_ptr<RequestHandler> operator()(Application& application,
                                               httputil::HTTPServerRequest& request,
                                               httputil::HTTPConnection& connection) const {
        return make_(application, request, connection);
    }
    /// The methods bits the handler class overrides.
    unsigned allowed_methods() const noexcept { return allowed_methods_; }
    ///@{
    /// What the constructor was told: whether prepare() must be called, and whether the body
    /// is streamed to data_received() rather than read whole first.
    bool calls_prepare() const noexcept { return calls_prepare_; }
    bool streams_body() const noexcept { return streams_body_; }
    /// Whether the handler class overrides on_connection_close(), so the connection watches
    /// the socket while the handler works.
    bool watches_close() const noexcept { return watches_close_; }
    ///@}
    /// Whether the factory can make handlers (it was not default-constructed).
    explicit operator bool() const noexcept { return static_cast<bool>(make_); }

private:
    Make make_;
    unsigned allowed_methods_ = 0;
    bool calls_prepare_ = true;
    bool streams_body_ = false;
    bool watches_close_ = false;
};

/** A factory for handler class `H`. Each request gets a new `H`, whose `initialize()` is called
    with `args`. The arguments are copied into the route table, which is shared by every request
    (and every thread serving the application), so initialize() receives them as const lvalues;
    pass `std::ref(x)` to hand over a reference to an object that outlives the application. */
template <class H, class... Args>
HandlerFactory handler(Args&&... args) {
    static_assert(std::is_base_of_v<RequestHandler, H>,
                  "a handler class derives from RequestHandler");
    auto make = [bound = std::tuple<std::decay_t<Args>...>(std::forward<Args>(args)...)](
                    Application& application, httputil::HTTPServerRequest& request,
                    httputil::HTTPConnection& connection) -> std::unique_ptr<RequestHandler> {
        auto made = std::make_unique<H>(application, request, connection);
        made->clear();  // the default headers, from the finished object's set_default_headers()
        std::apply([&made](const auto&... arg) { made->initialize(detail::unwrap(arg)...); },
                   bound);
        return made;
    };
    return HandlerFactory(std::move(make), detail::overridden_methods<H>(),
                          detail::overrides_prepare<H>(), detail::streams_request_body<H>(),
                          detail::overrides_on_connection_close<H>());
}

/// Options of a route.
struct URLSpecOptions {
    /// The name reverse_url() knows the route by.
    std::string name{};
};

/** One route (tornado.web.URLSpec): a Python-syntax regular expression for the path, the handler
    factory, and an optional name. The pattern is anchored at both ends, as in Tornado. Its groups
    become the handler's path_args(), or path_kwargs() when they are named `(?P<name>...)`; they
    must be all named or all positional. A pattern without regex syntax is matched by lookup,
    never by a regex. */
class URLSpec {
public:
    /// @throws typhoon::Error naming the pattern when it is not a valid regular expression,
    /// mixes named and positional groups, or ends in a lone backslash (which would escape the `$`
    /// Tornado appends and leave the route unanchored).
    URLSpec(std::string pattern, HandlerFactory handler, URLSpecOptions options = {});

    /// Path arguments of a match.
    struct Match {
        std::vector<std::string> args;  ///< the positional groups, in order
        std::map<std::string, std::string, std::less<>> kwargs;  ///< the named groups, by name
    };
    /// The groups of `path` if it matches (percent-decoded bytes), else std::nullopt.
    std::optional<Match> match(std::string_view path) const;

    /** The path with `args` (percent-encoded) in the groups.
        @throws typhoon::Error when the pattern is too complex to reverse or the number of
        arguments differs from the number of groups. */
    std::string reverse(const std::vector<std::string>& args) const;

    /// The pattern as written, and with the `$` Tornado appends.
    const std::string& pattern() const noexcept;
    /// URLSpecOptions::name; empty for an unnamed route.
    const std::string& name() const noexcept { return name_; }
    /// Makes the handler of each request this route matches.
    const HandlerFactory& handler_factory() const noexcept { return handler_; }
    /// The path this route matches when its pattern has no regex syntax.
    const std::optional<std::string>& literal_path() const noexcept;
    /// What every path this route matches starts with (for skipping regexes cheaply).
    const std::string& literal_prefix() const noexcept;

private:
    std::shared_ptr<const detail::PathPattern> pattern_;
    HandlerFactory handler_;
    std::string name_;
};

/// A route for handler class `H` (Tornado's `url(pattern, H, kwargs, name)`):
/// `url<StoryHandler>(R"(/story/([0-9]+))", {.name = "story"}, std::ref(store))`.
template <class H, class... Args>
URLSpec url(std::string pattern, URLSpecOptions options = {}, Args&&... args) {
    return URLSpec(std::move(pattern), handler<H>(std::forward<Args>(args)...), std::move(options));
}

}  // namespace typhoon::web

#endif
