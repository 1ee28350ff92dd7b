#include <typhoon/web/request_handler.hpp>

#include <typhoon/http/http_input_error.hpp>
#include <typhoon/http/responses.hpp>

#include <typhoon/web/application.hpp>
#include <typhoon/web/http_error.hpp>
#include <typhoon/web/ui_module.hpp>

#include "digest.hpp"
#include "gzip_encoder.hpp"
#include "http_date.hpp"
#include "status_reasons.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/escape.hpp>
#include <typhoon/core/json.hpp>
#include <typhoon/core/linkify.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/core/utf8.hpp>
#include <typhoon/http/timestamp.hpp>
#include <typhoon/template/loader.hpp>

#include <cxxabi.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <typeinfo>
#include <utility>

namespace typhoon::web {

namespace json = boost::json;

struct RequestHandler::Internals {
    std::optional<json::value> current_user;
    std::optional<locale::Locale> locale;
    // Modules in the order the page first used them: their resources go in the page in that order.
    std::vector<std::pair<std::string, std::unique_ptr<UIModule>>> active_modules;
    // compress_response: the encoder of this response, when it is being gzipped.
    std::unique_ptr<detail::GzipEncoder> gzip;
};

namespace {

using Entry = RequestHandler::Entry;

struct MethodEntry {
    std::string_view name;
    unsigned bit;
    Entry entry;
};

// Tornado's SUPPORTED_METHODS, in its order (which is also the order of the Allow header).
const MethodEntry method_table[] = {
    {"GET", methods::get, &RequestHandler::get},
    {"HEAD", methods::head, &RequestHandler::head},
    {"POST", methods::post, &RequestHandler::post},
    {"DELETE", methods::delete_, &RequestHandler::delete_},
    {"PATCH", methods::patch, &RequestHandler::patch},
    {"PUT", methods::put, &RequestHandler::put},
    {"OPTIONS", methods::options, &RequestHandler::options},
};

const MethodEntry* find_method(std::string_view name) {
    for (const auto& method : method_table)
        if (method.name == name) return &method;
    return nullptr;
}

// Tornado's decode_argument: arguments are UTF-8 or the request is a 400.
std::string decode_argument(std::string value, std::string_view name) {
    if (!escape::is_valid_utf8(value))
        throw HTTPError(400, "Invalid unicode in " + std::string(name) + ": " +
                                 escape::detail::python_repr(std::string_view(value).substr(0, 40),
                                                             escape::detail::Repr::bytes));
    return value;
}

std::vector<std::string> arguments_from(const httputil::Arguments& source, std::string_view name,
                                        ArgumentOptions options) {
    std::vector<std::string> values;
    const auto found = source.find(name);
    if (found == source.end()) return values;
    for (const auto& raw : found->second) {
        std::string value = decode_argument(raw, name);
        // Control characters other than white space become spaces, as in Tornado.
        for (char& c : value)
            if ((c >= 0 && c <= 8) || (c >= 0x0e && c <= 0x1f)) c = ' ';
        values.push_back(options.strip ? std::string(escape::detail::strip_unicode(value))
                                       : std::move(value));
    }
    return values;
}

std::optional<std::string> last_argument(const httputil::Arguments& source, std::string_view name,
                                         ArgumentOptions options) {
    auto values = arguments_from(source, name, options);
    if (values.empty()) return std::nullopt;
    return std::move(values.back());
}

std::string exception_description(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        int status = 0;
        char* demangled = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
        std::string type = status == 0 && demangled ? demangled : typeid(e).name();
        std::free(demangled);
        return type + ": " + e.what();
    } catch (...) {
        return "unknown exception";
    }
}

/// Server, Content-Type and Date, which Tornado's clear() starts every response with: made once a
/// second per thread and copied, which costs less than adding them one by one.
const httputil::HTTPHeaders& default_headers() {
    thread_local httputil::HTTPHeaders headers;
    thread_local std::string date;
    if (const std::string_view now = detail::current_http_date(); headers.empty() || now != date) {
        date = now;
        headers = httputil::HTTPHeaders();
        headers.add("Server", detail::server_header_value());
        headers.add("Content-Type", "text/html; charset=UTF-8");
        headers.add("Date", date);
    }
    return headers;
}

bool is_bodiless(int status) {
    return status == 204 || status == 304 || (status >= 100 && status < 200);
}

}  // namespace

RequestHandler::RequestHandler(Application& application, httputil::HTTPServerRequest& request,
                               httputil::HTTPConnection& connection)
    : application_(&application), request_(&request), connection_(&connection) {}

RequestHandler::~RequestHandler() = default;

// The entry points a subclass did not override: HTTPError(405). execute() never calls them for
// a handler made by handler<H>(), which knows what H overrides, but a direct call must fail too.
awaitable<void> RequestHandler::prepare() {
    co_return;
}
awaitable<void> RequestHandler::get() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::head() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::post() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::delete_() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::patch() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::put() {
    throw HTTPError(405);
}
awaitable<void> RequestHandler::options() {
    throw HTTPError(405);
}

const Settings& RequestHandler::settings() const noexcept {
    return application_->settings();
}

// --- arguments -----------------------------------------------------------------------------------

std::string RequestHandler::get_argument(std::string_view name, ArgumentOptions options) const {
    auto value = last_argument(request_->arguments, name, options);
    if (!value) throw MissingArgumentError(std::string(name));
    return std::move(*value);
}
std::string RequestHandler::get_argument(std::string_view name, std::string_view default_value,
                                         ArgumentOptions options) const {
    auto value = last_argument(request_->arguments, name, options);
    return value ? std::move(*value) : std::string(default_value);
}
std::optional<std::string> RequestHandler::get_argument(std::string_view name, std::nullopt_t,
                                                        ArgumentOptions options) const {
    return last_argument(request_->arguments, name, options);
}
std::vector<std::string> RequestHandler::get_arguments(std::string_view name,
                                                       ArgumentOptions options) const {
    return arguments_from(request_->arguments, name, options);
}

std::string RequestHandler::get_query_argument(std::string_view name,
                                               ArgumentOptions options) const {
    auto value = last_argument(request_->query_arguments, name, options);
    if (!value) throw MissingArgumentError(std::string(name));
    return std::move(*value);
}
std::string RequestHandler::get_query_argument(std::string_view name,
                                               std::string_view default_value,
                                               ArgumentOptions options) const {
    auto value = last_argument(request_->query_arguments, name, options);
    return value ? std::move(*value) : std::string(default_value);
}
std::optional<std::string> RequestHandler::get_query_argument(std::string_view name, std::nullopt_t,
                                                              ArgumentOptions options) const {
    return last_argument(request_->query_arguments, name, options);
}
std::vector<std::string> RequestHandler::get_query_arguments(std::string_view name,
                                                             ArgumentOptions options) const {
    return arguments_from(request_->query_arguments, name, options);
}

std::string RequestHandler::get_body_argument(std::string_view name,
                                              ArgumentOptions options) const {
    auto value = last_argument(request_->body_arguments, name, options);
    if (!value) throw MissingArgumentError(std::string(name));
    return std::move(*value);
}
std::string RequestHandler::get_body_argument(std::string_view name, std::string_view default_value,
                                              ArgumentOptions options) const {
    auto value = last_argument(request_->body_arguments, name, options);
    return value ? std::move(*value) : std::string(default_value);
}
std::optional<std::string> RequestHandler::get_body_argument(std::string_view name, std::nullopt_t,
                                                             ArgumentOptions options) const {
    return last_argument(request_->body_arguments, name, options);
}
std::vector<std::string> RequestHandler::get_body_arguments(std::string_view name,
                                                            ArgumentOptions options) const {
    return arguments_from(request_->body_arguments, name, options);
}

// --- status and headers --------------------------------------------------------------------------

void RequestHandler::set_status(int status_code, std::string_view reason) {
    detail::check_reason_phrase(reason);
    status_code_ = status_code;
    reason_ =
        reason.empty() ? std::string(httputil::reason_phrase(status_code)) : std::string(reason);
}

void RequestHandler::set_header(std::string_view name, std::string_view value) {
    // A header value with a line break would let a client's input forge headers or a response.
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        throw std::invalid_argument("Unsafe header value for " + std::string(name));
    headers_.set(name, value);
}

void RequestHandler::set_header(std::string_view name,
                                std::chrono::system_clock::time_point value) {
    headers_.set(name, httputil::format_timestamp(value));
}

void RequestHandler::add_header(std::string_view name, std::string_view value) {
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        throw std::invalid_argument("Unsafe header value for " + std::string(name));
    headers_.add(name, value);
}

void RequestHandler::clear_header(std::string_view name) {
    headers_.remove(name);
}

void RequestHandler::clear() {
    headers_.reserve(8);  // room for the usual response headers: the copy below fills it in place
    headers_ = default_headers();
    set_default_headers();
    body_.clear();
    status_code_ = 200;
    reason_ = "OK";
}

// --- body ----------------------------------------------------------------------------------------

void RequestHandler::write(std::string_view chunk) {
    if (finished_) throw std::logic_error("Cannot write() after finish()");
    body_.append(chunk);
}

void RequestHandler::write(const json::object& object) {
    if (finished_) throw std::logic_error("Cannot write() after finish()");
    body_ += escape::json_encode(object);
    headers_.set("Content-Type", "application/json; charset=UTF-8");
}

awaitable<void> RequestHandler::flush() {
    if (response_sent_) co_return;
    if (finished_) {
        co_await send_sealed_response();
        co_return;
    }
    const bool first = !headers_written_;
    std::string chunk = transform_body(std::move(body_), first, false);
    body_.clear();
    const bool head = request_->method == "HEAD";
    if (first) {
        headers_written_ = true;
        add_cookie_headers();
        co_await connection_->write_headers({"HTTP/1.1", status_code_, reason_},
                                            std::move(headers_),
                                            head ? std::string_view() : std::string_view(chunk));
    } else if (!head && !chunk.empty()) {
        co_await connection_->write(chunk);
    }
    co_await connection_->flush();
}

std::string RequestHandler::transform_body(std::string chunk, bool first, bool finishing) {
    if (!settings().compress_response) return chunk;
    if (first) {
        // Tornado's GZipContentEncoding: caches must keep compressed and plain answers apart.
        if (const auto vary = headers_.get("Vary"))
            headers_.set("Vary", *vary + ", Accept-Encoding");
        else
            headers_.set("Vary", "Accept-Encoding");
        static constexpr std::string_view compressible[] = {
            "application/javascript", "application/x-javascript", "application/xml",
            "application/atom+xml",   "application/json",         "application/xhtml+xml",
            "image/svg+xml"};
        const std::string content_type = headers_.get("Content-Type", "");
        const std::string_view type =
            std::string_view(content_type).substr(0, content_type.find(';'));
        const bool gzipping =
            request_->headers.get("Accept-Encoding", "").find("gzip") != std::string::npos &&
            (type.starts_with("text/") ||
             std::find(std::begin(compressible), std::end(compressible), type) !=
                 std::end(compressible)) &&
            (!finishing || chunk.size() >= 1024) && !headers_.contains("Content-Encoding");
        if (!gzipping) return chunk;
        headers_.set("Content-Encoding", "gzip");
        internals().gzip = std::make_unique<detail::GzipEncoder>(6);
        chunk = internals_->gzip->compress(chunk, finishing);
        if (headers_.contains("Content-Length")) {
            if (finishing)
                headers_.set("Content-Length", std::to_string(chunk.size()));
            else
                headers_.remove("Content-Length");
        }
        return chunk;
    }
    if (!internals_ || !internals_->gzip) return chunk;
    return internals_->gzip->compress(chunk, finishing);
}

void RequestHandler::finish(std::string_view chunk) {
    if (finished_) throw std::logic_error("finish() called twice");
    if (!chunk.empty()) write(chunk);
    if (!headers_written_) {
        if (status_code_ == 200 && (request_->method == "GET" || request_->method == "HEAD") &&
            !headers_.contains("Etag")) {
            // set_etag_header(), but known to be absent: added without another search.
            if (auto etag = compute_etag()) headers_.add("Etag", *etag);
            if (check_etag_header()) {
                body_.clear();
                set_status(304);
            }
        }
        if (is_bodiless(status_code_)) {
            if (!body_.empty())
                throw std::logic_error("Cannot send body with " + std::to_string(status_code_));
            // A 304 describes the cached representation, not an empty one.
            headers_.remove("Content-Encoding");
            headers_.remove("Content-Language");
            headers_.remove("Content-Type");
        } else if (!headers_.contains("Content-Length")) {
            headers_.add("Content-Length", std::to_string(body_.size()));
        }
    }
    finished_ = true;
}

awaitable<void> RequestHandler::send_sealed_response() {
    if (response_sent_) co_return;
    std::exception_ptr failure;
    try {
        co_await write_sealed_response();
        co_await connection_->finish();
    } catch (...) {
        failure = std::current_exception();  // the client left; the request still ends normally
    }
    end_request(failure);
}

awaitable<void> RequestHandler::write_sealed_response() {
    response_sent_ = true;
    const bool head = request_->method == "HEAD";
    const bool first = !headers_written_;
    if (settings().compress_response) body_ = transform_body(std::move(body_), first, true);
    if (first) {
        headers_written_ = true;
        add_cookie_headers();
        return connection_->write_headers({"HTTP/1.1", status_code_, reason_}, std::move(headers_),
                                          head ? std::string_view() : std::string_view(body_));
    }
    return connection_->write(head ? std::string_view() : std::string_view(body_));
}

void RequestHandler::end_request(std::exception_ptr failure) {
    application_->log_request(*this);
    on_finish();
    if (failure) std::rethrow_exception(failure);
}

iostream::Stream RequestHandler::detach() {
    if (headers_written_) throw httputil::HTTPOutputError("detach() after the headers were sent");
    auto detached = connection_->detach();
    connection_ = nullptr;
    finished_ = headers_written_ = response_sent_ = true;
    application_->log_request(*this);
    on_finish();
    return detached;
}

std::unique_ptr<RequestHandler> RequestHandler::release_after_detach() {
    if (connection_ || !owner_)
        throw std::logic_error(
            "release_after_detach() needs a handler made by an Application, after detach()");
    // The server lent the request for the request's processing, which ends when the method
    // returns; after a detach it does not read the request again, so it can be moved.
    owned_request_ = std::make_unique<httputil::HTTPServerRequest>(std::move(*request_));
    request_ = owned_request_.get();
    // Swapped with empty ones rather than assigned: an assigned empty string keeps the buffer.
    httputil::HTTPHeaders unsent_headers;
    std::swap(headers_, unsent_headers);
    std::string().swap(body_);
    std::string().swap(reason_);
    return std::move(*std::exchange(owner_, nullptr));
}

// --- the life cycle ------------------------------------------------------------------------------

// start() and complete() in one coroutine frame: the path of every request whose body is not
// streamed, so it is the one kept short.
awaitable<void> RequestHandler::execute(
    std::vector<std::string>&& raw_args,
    std::map<std::string, std::string, std::less<>>&& raw_kwargs, unsigned allowed_methods,
    bool calls_prepare) {
    allowed_methods_ = allowed_methods;
    std::exception_ptr error;
    try {
        begin(std::move(raw_args), std::move(raw_kwargs));
        if (calls_prepare) co_await prepare();
        if (!finished_) {
            co_await (this->*method_entry())();
            if (auto_finish_ && !finished_) finish();
        }
    } catch (...) {
        error = std::current_exception();
    }
    if (error) settle(error);
    if (!finished_) finish();
    // send_sealed_response() written out here: one coroutine frame less per request.
    if (response_sent_) co_return;
    std::exception_ptr failure;
    try {
        co_await write_sealed_response();
        co_await connection_->finish();
    } catch (...) {
        failure = std::current_exception();  // the client left; the request still ends normally
    }
    end_request(failure);
}

awaitable<void> RequestHandler::start(std::vector<std::string>&& raw_args,
                                      std::map<std::string, std::string, std::less<>>&& raw_kwargs,
                                      unsigned allowed_methods, bool calls_prepare) {
    allowed_methods_ = allowed_methods;
    std::exception_ptr error;
    try {
        begin(std::move(raw_args), std::move(raw_kwargs));
        if (calls_prepare) co_await prepare();
    } catch (...) {
        error = std::current_exception();
    }
    if (error) settle(error);
}

void RequestHandler::begin(std::vector<std::string>&& raw_args,
                           std::map<std::string, std::string, std::less<>>&& raw_kwargs) {
    const MethodEntry* method = find_method(request_->method);
    if (!method) throw HTTPError(405);
    method_bit_ = method->bit;
    for (auto& arg : raw_args)
        path_args_.push_back(decode_argument(std::move(arg), "url"));
    for (auto& [name, value] : raw_kwargs)
        path_kwargs_.emplace(name, decode_argument(std::move(value), "url"));
    check_xsrf_if_enabled();
}

RequestHandler::Entry RequestHandler::method_entry() const {
    for (const auto& entry : method_table)
        if (entry.bit == method_bit_ && (allowed_methods_ & entry.bit)) return entry.entry;
    // HEAD is GET without the body (RFC 9110 §9.3.2): get() runs, and flush() and the sealed
    // response leave its body out while its headers, Content-Length included, go as they are.
    if (method_bit_ == methods::head && (allowed_methods_ & methods::get))
        return &RequestHandler::get;
    throw HTTPError(405);  // a method the class does not override
}

awaitable<void> RequestHandler::receive(std::string_view chunk) {
    if (finished_) co_return;  // answered already (e.g. refused in prepare()): the rest is dropped
    received_ += chunk.size();
    std::exception_ptr error;
    try {
        if (max_body_size_ && received_ > *max_body_size_)
            throw HTTPError(413, "body over " + std::to_string(*max_body_size_) + " bytes");
        co_await data_received(chunk);
    } catch (...) {
        error = std::current_exception();
    }
    if (error) settle(error);
}

awaitable<void> RequestHandler::complete() {
    if (!finished_) {
        std::exception_ptr error;
        try {
            co_await (this->*method_entry())();
            if (auto_finish_ && !finished_) finish();
        } catch (...) {
            error = std::current_exception();
        }
        if (error) settle(error);
    }
    if (!finished_) finish();
    co_await send_sealed_response();
}

void RequestHandler::settle(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const Finish& early) {  // Tornado's `raise Finish()`: the response as it stands
        if (finished_) return;
        try {
            finish(early.chunk());
            return;
        } catch (...) {
            error = std::current_exception();
        }
    } catch (...) {
    }
    handle_request_exception(error);
}

awaitable<void> RequestHandler::data_received(std::string_view) {
    throw std::logic_error("a handler with stream_request_body must override data_received()");
}

void RequestHandler::set_max_body_size(std::size_t bytes) noexcept {
    max_body_size_ = bytes;
}

void RequestHandler::handle_request_exception(std::exception_ptr error) {
    try {
        log_exception(error);
    } catch (...) {
        log::app_log.exception("Error in exception logger");
    }
    if (finished_) return;
    int status = 500;
    try {
        std::rethrow_exception(error);
    } catch (const HTTPError& e) {
        status = e.status_code();
    } catch (...) {
    }
    send_error(status, error);
}

void RequestHandler::send_error(int status_code, std::exception_ptr error) {
    if (headers_written_) {
        log::gen_log.error("Cannot send error response after headers written");
        if (!finished_) {
            try {
                finish();
            } catch (...) {
                log::gen_log.exception("Failed to flush partial response");
            }
        }
        return;
    }
    clear();
    std::string reason;
    if (error) {
        try {
            std::rethrow_exception(error);
        } catch (const HTTPError& e) {
            reason = e.reason();
        } catch (...) {
        }
    }
    set_status(status_code, reason);
    if (status_code == 405 && allowed_methods_ != 0) {
        std::string allow;
        const unsigned served =
            allowed_methods_ | ((allowed_methods_ & methods::get) ? methods::head : 0u);
        for (const auto& method : method_table)
            if (served & method.bit)
                allow += (allow.empty() ? "" : ", ") + std::string(method.name);
        headers_.set("Allow", allow);
    }
    try {
        write_error(status_code, error);
    } catch (...) {
        log::app_log.exception("Uncaught exception in write_error");
    }
    if (!finished_) finish();
}

void RequestHandler::write_error(int status_code, std::exception_ptr error) {
    if (error && application_->serve_traceback()) {
        set_header("Content-Type", "text/plain");
        write("Traceback: " + exception_description(error) + "\n");
        finish();
        return;
    }
    const std::string line = std::to_string(status_code) + ": " + escape::xhtml_escape(reason_);
    finish("<html><title>" + line + "</title><body>" + line + "</body></html>");
}

void RequestHandler::log_exception(std::exception_ptr error) const {
    try {
        std::rethrow_exception(error);
    } catch (const HTTPError& e) {
        if (!e.log_message().empty())
            log::gen_log.warning(std::to_string(e.status_code()) + " " + request_summary() + ": " +
                                 e.log_message());
    } catch (...) {
        const auto& r = *request_;
        log::app_log.exception(
            "Uncaught exception " + request_summary() + "\nHTTPServerRequest(protocol='" +
                r.protocol + "', host='" + r.host + "', method='" + r.method + "', uri='" + r.uri +
                "', version='" + r.version + "', remote_ip='" + r.remote_ip + "')",
            error);
    }
}

std::string RequestHandler::request_summary() const {
    return request_->method + " " + request_->uri + " (" + request_->remote_ip + ")";
}

// --- caching -------------------------------------------------------------------------------------

std::optional<std::string> RequestHandler::compute_etag() const {
    return detail::quoted_sha1_hex(body_);
}

void RequestHandler::set_etag_header() {
    if (auto etag = compute_etag()) headers_.set("Etag", *etag);
}

bool RequestHandler::check_etag_header() const {
    if (!request_->headers.contains("If-None-Match")) return false;  // nearly always: no copies
    const auto computed = headers_.get("Etag", "");
    const auto wanted = request_->headers.get("If-None-Match", "");
    if (computed.empty() || wanted.empty()) return false;
    // The tags of If-None-Match: "*", or quoted tags with an optional W/ (weak) before each.
    const auto strong = [](std::string_view tag) {
        return tag.starts_with("W/") ? tag.substr(2) : tag;
    };
    std::string_view rest = wanted;
    bool first = true;
    while (!rest.empty()) {
        const auto star = rest.find('*');
        const auto quote = rest.find('"');
        if (star != std::string_view::npos && (quote == std::string_view::npos || star < quote)) {
            if (first) return true;
            rest.remove_prefix(star + 1);
            continue;
        }
        if (quote == std::string_view::npos) break;
        const auto end = rest.find('"', quote + 1);
        if (end == std::string_view::npos) break;
        const bool weak = quote >= 2 && rest.substr(quote - 2, 2) == "W/";
        const auto tag =
            rest.substr(weak ? quote - 2 : quote, end + 1 - (weak ? quote - 2 : quote));
        if (strong(tag) == strong(computed)) return true;
        first = false;
        rest.remove_prefix(end + 1);
    }
    return false;
}

// --- templates -----------------------------------------------------------------------------------

std::string RequestHandler::get_template_path() const {
    return settings().template_path;
}

templates::Namespace RequestHandler::get_template_namespace() {
    templates::Namespace names;
    const auto& r = *request_;
    names.add("request", json::object{{"method", r.method},
                                      {"uri", r.uri},
                                      {"path", r.path},
                                      {"query", r.query},
                                      {"version", r.version},
                                      {"remote_ip", r.remote_ip},
                                      {"protocol", r.protocol},
                                      {"host", r.host},
                                      {"host_name", r.host_name}});
    names.add("current_user", current_user());
    const auto& loc = locale();
    names.add("locale",
              json::object{{"code", loc.code()}, {"name", loc.name()}, {"rtl", loc.rtl()}});
    names.add_function("_", [this](const json::array& args, const json::object&) -> json::value {
        const auto text = [&](std::size_t i) { return std::string_view(args.at(i).as_string()); };
        if (args.size() >= 3)
            return json::value(json::string(
                locale().translate(text(0), text(1), args.at(2).to_number<std::int64_t>())));
        return json::value(json::string(locale().translate(text(0))));
    });
    names.add_function(
        "pgettext", [this](const json::array& args, const json::object&) -> json::value {
            const auto text = [&](std::size_t i) {
                return std::string_view(args.at(i).as_string());
            };
            if (args.size() >= 4)
                return json::value(json::string(locale().pgettext(
                    text(0), text(1), text(2), args.at(3).to_number<std::int64_t>())));
            return json::value(json::string(locale().pgettext(text(0), text(1))));
        });
    names.add_function(
        "static_url", [this](const json::array& args, const json::object& kwargs) -> json::value {
            StaticUrlOptions options;
            if (const auto* host = kwargs.if_contains("include_host"))
                options.include_host = host->as_bool();
            if (const auto* version = kwargs.if_contains("include_version"))
                options.include_version = version->as_bool();
            return json::value(json::string(static_url(args.at(0).as_string(), options)));
        });
    names.add_function(
        "reverse_url", [this](const json::array& args, const json::object&) -> json::value {
            std::vector<std::string> rest;
            for (std::size_t i = 1; i < args.size(); ++i)
                rest.push_back(args[i].is_string() ? std::string(args[i].as_string())
                                                   : escape::json_encode(args[i]));
            return json::value(json::string(reverse_url(args.at(0).as_string(), rest)));
        });
    add_xsrf_names(names);
    for (const auto& [name, method] : settings().ui_methods)
        names.add_function(name,
                           [this, &method](const json::array& args, const json::object& kwargs) {
                               return method(*this, args, kwargs);
                           });
    const auto module_call = [this](std::string name) {
        return [this, name = std::move(name)](const json::array& args,
                                              const json::object& kwargs) -> json::value {
            return json::value(json::string(ui_module(name).render(args, kwargs)));
        };
    };
    names.add_module("Template", module_call("Template"));
    names.add_module("linkify", [](const json::array& args, const json::object&) -> json::value {
        return json::value(json::string(escape::linkify(args.at(0).as_string())));
    });
    for (const auto& entry : settings().ui_modules)
        names.add_module(entry.first, module_call(entry.first));
    return names;
}

RequestHandler::Internals& RequestHandler::internals() {
    if (!internals_) internals_ = std::make_unique<Internals>();
    return *internals_;
}

UIModule& RequestHandler::ui_module(const std::string& name) {
    auto& active = internals().active_modules;
    for (auto& [active_name, module] : active)
        if (active_name == name) return *module;
    std::unique_ptr<UIModule> made;
    if (name == "Template") {
        made = std::make_unique<TemplateModule>(*this);
    } else {
        const auto found = settings().ui_modules.find(name);
        if (found == settings().ui_modules.end()) throw Error("no UI module named " + name);
        made = found->second(*this);
    }
    active.emplace_back(name, std::move(made));
    return *active.back().second;
}

std::string RequestHandler::render_string(std::string_view template_name,
                                          const json::object& args) {
    templates::BaseLoader& loader = settings().template_loader
                                        ? *settings().template_loader
                                        : application_->template_loader(get_template_path());
    return loader.load(template_name).generate(args, get_template_namespace());
}

void RequestHandler::render(std::string_view template_name, const json::object& args) {
    if (finished_) throw std::logic_error("Cannot render() after finish()");
    std::string html = render_string(template_name, args);
    if (internals_) {
        std::vector<std::string> js_files, css_files;
        std::string js_embed, css_embed, heads, bodies;
        const auto add_unique = [](std::vector<std::string>& into, std::vector<std::string> paths) {
            for (auto& path : paths)
                if (std::find(into.begin(), into.end(), path) == into.end())
                    into.push_back(std::move(path));
        };
        bool any_js = false;
        bool any_css = false;
        for (auto& [name, module] : internals_->active_modules) {
            if (auto js = module->embedded_javascript(); !js.empty()) {
                js_embed += (any_js ? "\n" : "") + js;
                any_js = true;
            }
            if (auto css = module->embedded_css(); !css.empty()) {
                css_embed += (any_css ? "\n" : "") + css;
                any_css = true;
            }
            add_unique(js_files, module->javascript_files());
            add_unique(css_files, module->css_files());
            heads += module->html_head();
            bodies += module->html_body();
        }
        const auto url_of = [this](const std::string& path) {
            if (path.starts_with("/") || path.starts_with("http:") || path.starts_with("https:"))
                return path;
            return static_url(path);
        };
        const auto insert_before = [&html](std::string_view tag, const std::string& text,
                                           bool last) {
            const auto at = last ? html.rfind(tag) : html.find(tag);
            if (at != std::string::npos) html.insert(at, text + "\n");
        };
        if (!js_files.empty()) {
            std::string tags;
            for (const auto& path : js_files)
                tags += "<script src=\"" + escape::xhtml_escape(url_of(path)) +
                        "\" type=\"text/javascript\"></script>";
            insert_before("</body>", tags, true);
        }
        if (any_js)
            insert_before("</body>",
                          "<script type=\"text/javascript\">\n//<![CDATA[\n" + js_embed +
                              "\n//]]>\n</script>",
                          true);
        if (!css_files.empty()) {
            std::string tags;
            for (const auto& path : css_files)
                tags += "<link href=\"" + escape::xhtml_escape(url_of(path)) +
                        "\" type=\"text/css\" rel=\"stylesheet\"/>";
            insert_before("</head>", tags, false);
        }
        if (any_css)
            insert_before("</head>", "<style type=\"text/css\">\n" + css_embed + "\n</style>",
                          false);
        if (!heads.empty()) insert_before("</head>", heads, false);
        if (!bodies.empty()) insert_before("</body>", bodies, false);
    }
    finish(html);
}

// --- redirects and URLs --------------------------------------------------------------------------

void RequestHandler::redirect(std::string_view url, RedirectOptions options) {
    if (headers_written_) throw std::logic_error("Cannot redirect after headers have been written");
    const int status = options.status.value_or(options.permanent ? 301 : 302);
    if (status < 300 || status > 399)
        throw std::invalid_argument("redirect status must be 3xx, got " + std::to_string(status));
    set_status(status);
    set_header("Location", url);
    finish();
}

std::string RequestHandler::reverse_url(std::string_view name,
                                        const std::vector<std::string>& args) const {
    return application_->reverse_url(name, args);
}

std::string RequestHandler::static_url(std::string_view path, StaticUrlOptions options) const {
    if (settings().static_path.empty())
        throw Error(
            "You must define the 'static_path' setting in your application to use "
            "static_url");
    std::string url = options.include_host ? request_->protocol + "://" + request_->host : "";
    url += settings().static_url_prefix;
    url += path;
    if (options.include_version) {
        const std::string version = application_->static_version(path);
        if (!version.empty()) url += "?v=" + version;
    }
    return url;
}

// --- users and locales ---------------------------------------------------------------------------

const json::value& RequestHandler::current_user() {
    auto& user = internals().current_user;
    if (!user) user = get_current_user();
    return *user;
}

void RequestHandler::set_current_user(json::value user) {
    internals().current_user = std::move(user);
}

json::value RequestHandler::get_current_user() {
    return nullptr;
}

const locale::Locale& RequestHandler::locale() {
    auto& locale = internals().locale;
    if (!locale) {
        auto chosen = get_user_locale();
        locale = chosen ? std::move(*chosen) : get_browser_locale();
    }
    return *locale;
}

std::optional<locale::Locale> RequestHandler::get_user_locale() {
    return std::nullopt;
}

locale::Locale RequestHandler::get_browser_locale(std::string_view default_code) const {
    const auto header = request_->headers.get("Accept-Language");
    if (header) {
        std::vector<std::pair<std::string, double>> weighted;
        std::string_view rest = *header;
        while (true) {
            const auto comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            item = escape::detail::strip(item);
            const auto semicolon = item.find(';');
            const std::string_view code = item.substr(0, semicolon);
            double score = 1.0;
            if (semicolon != std::string_view::npos) {
                auto parameter = escape::detail::strip(item.substr(semicolon + 1));
                parameter = parameter.substr(0, parameter.find(';'));
                if (parameter.starts_with("q=")) {
                    const std::string number(escape::detail::strip(parameter.substr(2)));
                    char* end = nullptr;
                    score = std::strtod(number.c_str(), &end);
                    if (number.empty() || end != number.c_str() + number.size() || score < 0)
                        score = 0.0;
                }
            }
            if (score > 0) weighted.emplace_back(std::string(code), score);
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
        if (!weighted.empty()) {
            std::stable_sort(weighted.begin(), weighted.end(),
                             [](const auto& a, const auto& b) { return a.second > b.second; });
            std::vector<std::string> codes;
            for (auto& [code, score] : weighted)
                codes.push_back(std::move(code));
            return locale::Locale::get_closest(std::span<const std::string>(codes));
        }
    }
    return locale::Locale::get_closest({default_code});
}

// --- UI modules ----------------------------------------------------------------------------------

std::string UIModule::render_string(const std::string& name, const json::object& args) {
    return handler_->render_string(name, args);
}

std::string TemplateModule::render(const json::array& args, const json::object& kwargs) {
    return render_string(std::string(args.at(0).as_string()), kwargs);
}

}  // namespace typhoon::web
