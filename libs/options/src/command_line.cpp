#include <typhoon/options/option_parser.hpp>

#include "option_record.hpp"
#include "python_format.hpp"

#include <typhoon/core/detail/strings.hpp>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>

#include <functional>

namespace typhoon::options {

namespace po = boost::program_options;

namespace {

/** Boost.ProgramOptions style parser with Tornado's rules (OptionParser.parse_command_line):
    an argument not starting with "-" ends the options and it and the rest are positional; "--"
    ends them and is dropped; otherwise every leading "-" is stripped and "name=value" split at the
    first "=". The option keeps its raw token so that a value-less flag can be told from "--x=".

    One extension: "--name value" (two words) is read as "--name=value" for an option that takes a
    value (`takes_value(name)`), where Tornado would only say "requires a value". A bool flag keeps
    Tornado's reading, so "--debug false" is still debug=true plus a positional "false". */
std::vector<po::option> tornado_style(std::vector<std::string>& args,
                                      const std::function<bool(const std::string&)>& takes_value) {
    std::vector<po::option> result;
    if (args.empty()) return result;
    const std::string& token = args.front();
    if (!token.starts_with("-") || token == "--") {
        const std::size_t first = token == "--" ? 1 : 0;
        for (std::size_t i = first; i < args.size(); ++i) {
            po::option positional;
            positional.position_key = static_cast<int>(i - first);
            positional.value.push_back(args[i]);
            positional.original_tokens.push_back(args[i]);
            result.push_back(std::move(positional));
        }
        if (result.empty()) {  // a trailing "--": nothing follows, but the token is consumed
            po::option end;
            end.string_key = "--";  // not "=...": skipped below
            end.original_tokens.push_back(token);
            result.push_back(std::move(end));
        }
        args.clear();
        return result;
    }
    const std::string_view arg = std::string_view(token).substr(
        token.find_first_not_of('-') == std::string::npos ? token.size()
                                                          : token.find_first_not_of('-'));
    const std::size_t equals = arg.find('=');
    po::option option;
    // Keys carry a leading "=" (which no parsed name contains) so that the empty name of "-" is
    // not mistaken by Boost for a positional argument.
    option.string_key = "=" + normalize_name(arg.substr(0, equals));
    if (equals != std::string_view::npos) option.value.emplace_back(arg.substr(equals + 1));
    option.original_tokens.push_back(token);
    option.unregistered = true;
    std::size_t consumed = 1;
    if (equals == std::string_view::npos && args.size() > 1 &&
        takes_value(option.string_key.substr(1))) {
        option.value.push_back(args[1]);
        option.original_tokens.push_back(args[1]);
        consumed = 2;
    }
    result.push_back(std::move(option));
    args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(consumed));
    return result;
}

}  // namespace

std::vector<std::string> OptionParser::parse_command_line(std::span<const std::string> args,
                                                          ParseOptions parse) {
    if (!args.empty()) impl_->program_name = args.front();
    const std::vector<std::string> tokens(args.size() > 1 ? args.begin() + 1 : args.end(),
                                          args.end());

    const po::options_description
        nothing_registered;  // every name is looked up in this parser instead
    const auto takes_value = [this](const std::string& name) {
        const auto it = impl_->by_name.find(name);
        return it != impl_->by_name.end() && it->second->spec.kind != Kind::boolean;
    };
    const po::parsed_options parsed = po::command_line_parser(tokens)
                                          .options(nothing_registered)
                                          .extra_style_parser([&](std::vector<std::string>& rest) {
                                              return tornado_style(rest, takes_value);
                                          })
                                          .allow_unregistered()
                                          .run();
    std::vector<std::string> remaining;
    for (const po::option& option : parsed.options) {
        if (option.position_key >= 0) {
            remaining.push_back(option.value.front());
            continue;
        }
        if (option.string_key == "--") continue;
        const std::string name = option.string_key.substr(1);
        const auto it = impl_->by_name.find(name);
        if (it == impl_->by_name.end())
            throw Error("Unrecognized command line option: " + escape::detail::python_repr(name));
        OptionRecord& record = *it->second;
        std::string value;
        if (!option.value.empty()) {
            value = option.value.front();
        } else if (record.spec.kind == Kind::boolean) {
            value = "true";  // a bare --debug; for a multiple bool option too, as in Tornado
        } else {
            throw Error("Option " + escape::detail::python_repr(name) + " requires a value");
        }
        store(record, parse_option_text(record, value));
    }
    if (parse.final) run_parse_callbacks();
    return remaining;
}

std::vector<std::string> OptionParser::parse_command_line(int argc, const char* const* argv,
                                                          ParseOptions parse) {
    std::vector<std::string> args;
    args.reserve(static_cast<std::size_t>(argc));
    for (int i = 0; i < argc; ++i)
        args.emplace_back(argv[i]);
    return parse_command_line(std::span<const std::string>(args), parse);
}

}  // namespace typhoon::options
