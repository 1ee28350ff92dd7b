#ifndef TYPHOON_OPTIONS_OPTION_PARSER_HPP
#define TYPHOON_OPTIONS_OPTION_PARSER_HPP

#include <typhoon/options/error.hpp>
#include <typhoon/options/option_value.hpp>

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <set>
#include <source_location>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

/// Command-line and config-file options (tornado.options).
namespace typhoon::options {

/// Tornado's keyword arguments of `define()` other than the default.
template <class T>
struct DefineOptions {
    std::string help{};     ///< one line for --help; the default is appended as "(default 8000)"
    std::string metavar{};  ///< shown as --name=METAVAR in --help
    /// The --help section; by default the file that called define(), as in Tornado.
    std::string group{};
    /// Called with the new value each time the option is parsed or set (not when set to None).
    std::function<void(const T&)> callback{};
};

/// Keyword arguments of parse_command_line() and parse_config_file().
struct ParseOptions {
    /// Run the parse callbacks (logging set-up among them) afterwards. Pass false to all but the
    /// last of several parse calls, as Tornado advises, so that they run once.
    bool final = true;
};

class OptionRecord;  // one defined option; the parser owns it

namespace detail {
const Value& value_of(const OptionRecord& record) noexcept;
const std::string& name_of(const OptionRecord& record) noexcept;
const ValueSpec& spec_of(const OptionRecord& record) noexcept;
/// Stores `value` (checked against the spec) and runs the option's callback.
void assign(OptionRecord& record, Value value);
/// Throws Error "Option 'x' is a int, not a str" unless `wanted` reads what `record` holds.
void check_type(const OptionRecord& record, const ValueSpec& wanted);
/// Throws Error "Option 'x' is None" (Python's None: defined without a default and never set).
[[noreturn]] void throw_none(const OptionRecord& record);

template <class D>
struct default_type {
    using type = D;
};
template <std::size_t N>
struct default_type<char[N]> {
    using type = std::string;
};
template <>
struct default_type<const char*> {
    using type = std::string;
};
template <>
struct default_type<char*> {
    using type = std::string;
};
template <>
struct default_type<std::string_view> {
    using type = std::string;
};
template <class T, class D>
using define_type = std::conditional_t<std::is_void_v<T>, typename default_type<D>::type, T>;

template <class T>
struct is_optional : std::false_type {};
template <class U>
struct is_optional<std::optional<U>> : std::true_type {};
}  // namespace detail

/** The typed handle `define()` returns: `*port` is the option's current value.
    It refers to the parser's option and stays valid as long as the parser. */
template <option_type T>
class Option {
public:
    /// The current value. @throws Error when it is None (no default and never set).
    T operator*() const { return value(); }
    /// `timeout->count()`, `hosts->size()`: member access on a copy of the value.
    auto operator->() const {
        struct Arrow {
            T value;
            const T* operator->() const noexcept { return &value; }
        };
        return Arrow{value()};
    }
    /// The current value, as operator*. @throws Error when it is None.
    T value() const {
        const Value& v = detail::value_of(*record_);
        if (std::holds_alternative<std::monostate>(v)) detail::throw_none(*record_);
        return from_value<T>(v);
    }
    /// std::nullopt for Python's None.
    std::optional<T> optional() const {
        const Value& v = detail::value_of(*record_);
        if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
        return from_value<T>(v);
    }
    /// False while the option is None (optional() would return std::nullopt).
    bool has_value() const noexcept {
        return !std::holds_alternative<std::monostate>(detail::value_of(*record_));
    }
    /// Sets the value as `options.name = value` does in Tornado, running the callback.
    void set(const T& value) const { detail::assign(*record_, to_value(value)); }
    /// The name as defined ("log_file_prefix").
    const std::string& name() const noexcept { return detail::name_of(*record_); }
    /// The parser's entry for this option, as OptionParser::find() returns it.
    OptionRecord& record() const noexcept { return *record_; }

private:
    friend class OptionParser;
    explicit Option(OptionRecord& record) noexcept : record_(&record) {}
    OptionRecord* record_;
};

/** A set of options (tornado.options.OptionParser). The program-wide one is options(); build
    others for sub-commands or tests. Every parser has --help. Names with "-" and "_" are the
    same option: --log-file-prefix sets log_file_prefix.

        auto port = parser.define("port", 8000, {.help = "listen on this port"});
        parser.parse_command_line(argc, argv);   // --port=8080
        listen(*port);

    Define everything first, then parse; reading is thread-safe once parsing is over. */
class OptionParser {
public:
    OptionParser();
    ~OptionParser();
    OptionParser(const OptionParser&) = delete;
    OptionParser& operator=(const OptionParser&) = delete;

    /** Defines an option with a default; its type is `T`, or that of the default when `T` is left
        out (a string literal makes a std::string option). A std::vector type makes a `multiple`
        option. @throws Error naming both places when the name (with "-" and "_" equal) is already
        defined. */
    template <class T = void, class D>
        requires option_type<detail::define_type<T, D>>
    Option<detail::define_type<T, D>> define(
        std::string_view name, const D& default_value,
        DefineOptions<detail::define_type<T, D>> options = {},
        std::source_location where = std::source_location::current()) {
        using type = detail::define_type<T, D>;
        return define_value<type>(name, to_value<type>(type(default_value)), std::move(options),
                                  where);
    }
    /// A `multiple` option with its default written as a list: `define<std::vector<int>>("ports",
    /// {80, 443})`.
    template <option_type T>
        requires detail::is_vector<T>::value
    Option<T> define(std::string_view name,
                     std::initializer_list<typename T::value_type> default_value,
                     DefineOptions<T> options = {},
                     std::source_location where = std::source_location::current()) {
        return define_value<T>(name, to_value<T>(T(default_value)), std::move(options), where);
    }
    /// Defines an option without a default: it is None until set (an empty list if `multiple`).
    template <option_type T>
    Option<T> define(std::string_view name, DefineOptions<T> options = {},
                     std::source_location where = std::source_location::current()) {
        Value none = spec_of<T>().multiple ? Value(std::vector<Scalar>{}) : Value();
        return define_value<T>(name, std::move(none), std::move(options), where);
    }

    /** The value of `name` as `T`; `T = std::optional<U>` also reads None.
        @throws Error when no such option is defined, when it is not a `T`, or when it is None. */
    template <class T>
    T get(std::string_view name) const {
        const OptionRecord& record = find(name);
        if constexpr (detail::is_optional<T>::value) {
            using U = typename T::value_type;
            detail::check_type(record, spec_of<U>());
            const Value& v = detail::value_of(record);
            if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
            return from_value<U>(v);
        } else {
            detail::check_type(record, spec_of<T>());
            const Value& v = detail::value_of(record);
            if (std::holds_alternative<std::monostate>(v)) detail::throw_none(record);
            return from_value<T>(v);
        }
    }
    /// The handle of an option defined elsewhere. @throws Error as get().
    template <option_type T>
    Option<T> option(std::string_view name) const {
        OptionRecord& record = find(name);
        detail::check_type(record, spec_of<T>());
        return Option<T>(record);
    }
    /// Sets `name` as Tornado's `options.name = value` does, running its callback.
    template <class T>
    void set(std::string_view name, const T& value) {
        using type = detail::define_type<void, T>;
        option<type>(name).set(type(value));
    }

    /// Whether `name` is defined (Python's `name in options`); "-" and "_" are the same.
    bool contains(std::string_view name) const;
    /// Names as defined, in definition order (iterating over Tornado's options).
    std::vector<std::string> names() const;
    /// The group of every option (Tornado's groups()).
    std::set<std::string> groups() const;
    /// Names of the options in `group` (every option when `group` is empty).
    std::vector<std::string> group_names(std::string_view group) const;
    /// The option named `name`. @throws Error "Unrecognized option 'x'".
    OptionRecord& find(std::string_view name) const;

    ///@{
    /** Parses `--name=value` arguments (Tornado's rules: `--name` alone only for bool options,
        where it means true; `--name value` is an error, as in Tornado; one dash works too). Stops
       at the first argument that does not start with "-", or after "--", and returns the rest.
        `args[0]`, the program name, is skipped. Runs the parse callbacks unless `final` is false.
        @throws Error naming the option and the value on an unknown option, a missing value or a
        value that does not parse. */
    std::vector<std::string> parse_command_line(std::span<const std::string> args,
                                                ParseOptions parse = {});
    std::vector<std::string> parse_command_line(int argc, const char* const* argv,
                                                ParseOptions parse = {});
    ///@}

    /** Reads a Tornado config file: Python assignments `name = value` with literal values
        (strings, numbers, True/False/None, lists, tuples, + - * arithmetic, names assigned
        earlier, `__file__`), comments and blank lines. Names that are no option are ignored, as in
        Tornado; a string for a non-string option is parsed as on the command line.
        @throws Error "<path>:<line>: <message>" for anything else. */
    void parse_config_file(const std::filesystem::path& path, ParseOptions parse = {});
    /// The same for text held in memory; `path` names it in messages and is `__file__`.
    void parse_config_text(std::string_view text, const std::filesystem::path& path,
                           ParseOptions parse = {});

    /// Tornado's --help text: options by group, sorted, help wrapped at 79 columns.
    void print_help(std::ostream& out) const;
    /// To stderr, as Tornado does.
    void print_help() const;
    /// The name after "Usage:"; parse_command_line() takes it from argv[0].
    void set_program_name(std::string name);

    /// `callback` runs after each final parse, in the order they were added.
    void add_parse_callback(std::function<void()> callback);
    /// Runs the parse callbacks now, as a final parse does (Tornado's run_parse_callbacks()).
    void run_parse_callbacks();

    /// The untyped definition every define() ends in.
    OptionRecord& define_record(std::string_view name, ValueSpec spec, Value default_value,
                                std::string help, std::string metavar, std::string group,
                                std::function<void(const Value&)> callback,
                                std::source_location where);

private:
    template <class T>
    Option<T> define_value(std::string_view name, Value default_value, DefineOptions<T> options,
                           std::source_location where) {
        std::function<void(const Value&)> callback;
        if (options.callback)
            callback = [f = std::move(options.callback)](const Value& v) {
                if (!std::holds_alternative<std::monostate>(v)) f(from_value<T>(v));
            };
        return Option<T>(define_record(name, spec_of<T>(), std::move(default_value),
                                       std::move(options.help), std::move(options.metavar),
                                       std::move(options.group), std::move(callback), where));
    }

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/** The program-wide parser (tornado.options.options). It has --help and Tornado's logging
    options (--logging, --log_to_stderr, --log_file_prefix, ...; see log_options.hpp), which
    configure typhoon::log when a final parse ends. */
OptionParser& options();

///@{
/// OptionParser::define() on options(): `auto port = define("port", 8000);` is Tornado's
/// `define("port", default=8000)`.
template <class T = void, class D>
    requires option_type<detail::define_type<T, D>>
Option<detail::define_type<T, D>> define(
    std::string_view name, const D& default_value,
    DefineOptions<detail::define_type<T, D>> options = {},
    std::source_location where = std::source_location::current()) {
    return typhoon::options::options().define<T>(name, default_value, std::move(options), where);
}
template <option_type T>
    requires detail::is_vector<T>::value
Option<T> define(std::string_view name, std::initializer_list<typename T::value_type> default_value,
                 DefineOptions<T> options = {},
                 std::source_location where = std::source_location::current()) {
    return typhoon::options::options().define<T>(name, default_value, std::move(options), where);
}
template <option_type T>
Option<T> define(std::string_view name, DefineOptions<T> options = {},
                 std::source_location where = std::source_location::current()) {
    return typhoon::options::options().define<T>(name, std::move(options), where);
}
///@}
/// get() on options().
template <class T>
T get(std::string_view name) {
    return typhoon::options::options().get<T>(name);
}
///@{
/// The OptionParser member of the same name, on options(): tornado.options' module functions.
std::vector<std::string> parse_command_line(int argc, const char* const* argv,
                                            ParseOptions parse = {});
std::vector<std::string> parse_command_line(std::span<const std::string> args,
                                            ParseOptions parse = {});
void parse_config_file(const std::filesystem::path& path, ParseOptions parse = {});
void print_help(std::ostream& out);
void print_help();
void add_parse_callback(std::function<void()> callback);
///@}

/** For main(): parse_command_line() on options(), but an Error is printed to stderr as
    "error: <message>" and the program exits with status 2 (the convention of command-line tools
    for a usage error). Returns the remaining arguments. */
std::vector<std::string> parse_command_line_or_exit(int argc, const char* const* argv);

}  // namespace typhoon::options

#endif
