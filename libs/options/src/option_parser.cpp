#include <typhoon/options/option_parser.hpp>

#include "option_record.hpp"
#include "python_format.hpp"

#include <typhoon/core/detail/strings.hpp>

#include <typhoon/options/log_options.hpp>

#include <cstdlib>
#include <iostream>

namespace typhoon::options {

namespace {

// "1:999999999" would exhaust memory, in Python too.
constexpr std::size_t kMaxRangeLength = 1'000'000;

/// One tick of the C++ type is tick_num/tick_den µs: the value must be a whole number of ticks.
void check_ticks(const ValueSpec& spec, long long micros) {
    if (spec.exact_ticks && spec.tick_den == 1 && micros % spec.tick_num != 0)
        throw ValueError("not a whole number of " + std::to_string(spec.tick_num) +
                         " microsecond units, the resolution of this option");
}

Scalar parse_scalar(const ValueSpec& spec, std::string_view text) {
    switch (spec.kind) {
        case Kind::string:
            return std::string(text);
        case Kind::boolean:
            return parse_bool(text);
        case Kind::floating:
            return parse_float(text);
        case Kind::integer: {
            const std::int64_t n = parse_int(text);
            if (n < spec.min || n > spec.max)
                throw ValueError("out of range " + std::to_string(spec.min) + ".." +
                                 std::to_string(spec.max));
            return n;
        }
        case Kind::duration:
        case Kind::datetime: {
            const Scalar scalar = spec.kind == Kind::duration ? Scalar(parse_timedelta(text))
                                                              : Scalar(parse_datetime(text));
            const long long micros = spec.kind == Kind::duration
                                         ? std::get<std::chrono::microseconds>(scalar).count()
                                         : std::get<DateTime>(scalar).time_since_epoch().count();
            check_ticks(spec, micros);
            return scalar;
        }
    }
    return std::string(text);
}

/// range(lo, hi + 1) of Tornado's "lo:hi" for an integer (or bool: Python's bool is an int) option.
void append_range(const ValueSpec& spec, std::string_view part, std::vector<Scalar>& out) {
    const std::size_t colon = part.find(':');
    const std::string_view lo_text = part.substr(0, colon);
    const std::string_view hi_text =
        colon == std::string_view::npos ? std::string_view() : part.substr(colon + 1);
    auto number = [&](std::string_view t) -> std::int64_t {
        const Scalar s = parse_scalar(spec, t);
        return spec.kind == Kind::boolean ? (std::get<bool>(s) ? 1 : 0) : std::get<std::int64_t>(s);
    };
    const std::int64_t lo = number(lo_text);
    const std::int64_t hi = hi_text.empty() ? lo : number(hi_text);
    if (hi >= lo && static_cast<std::uint64_t>(hi - lo) >= kMaxRangeLength)
        throw ValueError("range too long");
    for (std::int64_t n = lo; n <= hi; ++n) {
        if (spec.kind == Kind::boolean)
            out.emplace_back(n != 0);
        else
            out.emplace_back(n);
        if (n == hi) break;  // no overflow past INT64_MAX
    }
}

}  // namespace

std::string normalize_name(std::string_view name) {
    std::string out(name);
    for (char& c : out)
        if (c == '_') c = '-';
    return out;
}

Value parse_option_text(const OptionRecord& record, std::string_view text) {
    try {
        if (!record.spec.multiple) return parse_scalar(record.spec, text);
        std::vector<Scalar> list;
        std::size_t start = 0;
        while (true) {
            const std::size_t comma = text.find(',', start);
            const std::string_view part =
                text.substr(start, comma == std::string_view::npos ? comma : comma - start);
            if (record.spec.kind == Kind::integer || record.spec.kind == Kind::boolean)
                append_range(record.spec, part, list);
            else
                list.push_back(parse_scalar(record.spec, part));
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        return list;
    } catch (const ValueError& e) {
        throw Error("Invalid value " + escape::detail::python_repr(text) + " for option " +
                    escape::detail::python_repr(record.normalized) + ": " + e.what());
    }
}

void store(OptionRecord& record, Value value) {
    record.value = std::move(value);
    if (record.callback) record.callback(record.value);
}

namespace detail {
const Value& value_of(const OptionRecord& record) noexcept {
    return record.value;
}
const std::string& name_of(const OptionRecord& record) noexcept {
    return record.name;
}
const ValueSpec& spec_of(const OptionRecord& record) noexcept {
    return record.spec;
}
void assign(OptionRecord& record, Value value) {
    // A value set from C++ has the right kind but may not fit: set("level", 300) on a uint8_t
    // option.
    auto check = [&](const Scalar& scalar) {
        const std::string text = python::str(scalar);
        try {
            if (record.spec.kind == Kind::integer || record.spec.kind == Kind::duration ||
                record.spec.kind == Kind::datetime) {
                if (record.spec.kind == Kind::integer) {
                    const std::int64_t n = std::get<std::int64_t>(scalar);
                    if (n < record.spec.min || n > record.spec.max)
                        throw ValueError("out of range " + std::to_string(record.spec.min) + ".." +
                                         std::to_string(record.spec.max));
                } else {
                    const long long micros =
                        record.spec.kind == Kind::duration
                            ? std::get<std::chrono::microseconds>(scalar).count()
                            : std::get<DateTime>(scalar).time_since_epoch().count();
                    check_ticks(record.spec, micros);
                }
            }
        } catch (const ValueError& e) {
            throw Error("Invalid value " + text + " for option " +
                        escape::detail::python_repr(record.name) + ": " + e.what());
        }
    };
    if (const auto* scalar = std::get_if<Scalar>(&value)) check(*scalar);
    if (const auto* list = std::get_if<std::vector<Scalar>>(&value))
        for (const auto& item : *list)
            check(item);
    store(record, std::move(value));
}
void check_type(const OptionRecord& record, const ValueSpec& wanted) {
    if (wanted.kind == record.spec.kind && wanted.multiple == record.spec.multiple) return;
    auto describe = [](const ValueSpec& spec) {
        return spec.multiple ? "list of " + std::string(type_name(spec.kind))
                             : std::string(type_name(spec.kind));
    };
    throw Error("Option " + escape::detail::python_repr(record.name) + " is a " +
                describe(record.spec) + ", not a " + describe(wanted));
}
void throw_none(const OptionRecord& record) {
    throw Error("Option " + escape::detail::python_repr(record.name) +
                " is None (it has no default and was not set)");
}
}  // namespace detail

OptionParser::OptionParser() : impl_(std::make_unique<Impl>()) {
    define<bool>("help",
                 {.help = "show this help information", .callback = [this](const bool& value) {
                      if (!value) return;
                      print_help();
                      std::exit(0);
                  }});
    impl_->by_name.at("help")->file_name.clear();  // the parser's own, like Tornado's (no group)
    impl_->by_name.at("help")->group.clear();
}

OptionParser::~OptionParser() = default;

OptionRecord& OptionParser::define_record(std::string_view name, ValueSpec spec,
                                          Value default_value, std::string help,
                                          std::string metavar, std::string group,
                                          std::function<void(const Value&)> callback,
                                          std::source_location where) {
    std::string normalized = normalize_name(name);
    const std::string here = std::string(where.file_name()) + ":" + std::to_string(where.line());
    if (const auto it = impl_->by_name.find(normalized); it != impl_->by_name.end())
        throw Error("Option " + escape::detail::python_repr(normalized) + " already defined in " +
                    it->second->file_name + ":" + std::to_string(it->second->line) +
                    ", defined again in " + here);
    auto record = std::make_unique<OptionRecord>();
    record->name = std::string(name);
    record->normalized = normalized;
    record->spec = spec;
    record->default_value = default_value;
    record->value = std::move(default_value);
    record->help = std::move(help);
    record->metavar = std::move(metavar);
    record->file_name = where.file_name();
    record->line = where.line();
    record->group = group.empty() ? record->file_name : std::move(group);
    record->callback = std::move(callback);
    OptionRecord& result = *record;
    impl_->in_order.push_back(&result);
    impl_->by_name.emplace(std::move(normalized), std::move(record));
    return result;
}

bool OptionParser::contains(std::string_view name) const {
    return impl_->by_name.contains(normalize_name(name));
}

std::vector<std::string> OptionParser::names() const {
    std::vector<std::string> out;
    for (const auto* record : impl_->in_order)
        out.push_back(record->name);
    return out;
}

std::set<std::string> OptionParser::groups() const {
    std::set<std::string> out;
    for (const auto* record : impl_->in_order)
        out.insert(record->group);
    return out;
}

std::vector<std::string> OptionParser::group_names(std::string_view group) const {
    std::vector<std::string> out;
    for (const auto* record : impl_->in_order)
        if (group.empty() || record->group == group) out.push_back(record->name);
    return out;
}

OptionRecord& OptionParser::find(std::string_view name) const {
    const std::string normalized = normalize_name(name);
    const auto it = impl_->by_name.find(normalized);
    if (it == impl_->by_name.end())
        throw Error("Unrecognized option " + escape::detail::python_repr(normalized));
    return *it->second;
}

void OptionParser::set_program_name(std::string name) {
    impl_->program_name = std::move(name);
}

void OptionParser::add_parse_callback(std::function<void()> callback) {
    impl_->parse_callbacks.push_back(std::move(callback));
}

void OptionParser::run_parse_callbacks() {
    for (const auto& callback : impl_->parse_callbacks)
        callback();
}

void OptionParser::print_help() const {
    print_help(std::cerr);
}

OptionParser& options() {
    static OptionParser* const instance = [] {
        auto* parser = new OptionParser();  // never destroyed: handles may be read during exit
        define_logging_options(*parser);
        return parser;
    }();
    return *instance;
}

std::vector<std::string> parse_command_line(int argc, const char* const* argv, ParseOptions parse) {
    return options().parse_command_line(argc, argv, parse);
}
std::vector<std::string> parse_command_line(std::span<const std::string> args, ParseOptions parse) {
    return options().parse_command_line(args, parse);
}
void parse_config_file(const std::filesystem::path& path, ParseOptions parse) {
    options().parse_config_file(path, parse);
}
void print_help(std::ostream& out) {
    options().print_help(out);
}
void print_help() {
    options().print_help();
}
void add_parse_callback(std::function<void()> callback) {
    options().add_parse_callback(std::move(callback));
}

std::vector<std::string> parse_command_line_or_exit(int argc, const char* const* argv) {
    try {
        return options().parse_command_line(argc, argv);
    } catch (const Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        std::exit(2);
    }
}

}  // namespace typhoon::options
