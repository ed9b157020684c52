import Foundation

// The command line: each command declares its parameters as data, and one small parser reads them.
// (swift-argument-parser did this by reflecting over property wrappers; in a static binary its protocol-conformance
// scans cost ~4 ms at every start, more than half of what a short command like `cluster` on a small file takes.)

/// One thing a command accepts on its command line.
struct Parameter: Sendable {
    /// What kind of parameter it is.
    enum Kind: Sendable {
        /// `--name`, present or not.
        case flag
        /// `--name VALUE` or `--name=VALUE`; `value` names the value in help.
        case option(value: String)
        /// A positional argument; `many` takes every remaining one.
        case argument(optional: Bool, many: Bool)
    }

    /// The long name without its dashes (an option's or flag's), or the positional argument's name.
    let name: String
    let kind: Kind
    let help: String

    /// A flag.
    static func flag(_ name: String, help: String) -> Parameter { Parameter(name: name, kind: .flag, help: help) }

    /// An option taking one value.
    static func option(_ name: String, value: String? = nil, help: String) -> Parameter {
        Parameter(name: name, kind: .option(value: value ?? name), help: help)
    }

    /// A positional argument.
    static func argument(_ name: String, optional: Bool = false, many: Bool = false, help: String) -> Parameter {
        Parameter(name: name, kind: .argument(optional: optional, many: many), help: help)
    }

    var isPositional: Bool { if case .argument = kind { return true }; return false }

    /// How the parameter is written in a usage line.
    var usage: String {
        switch kind {
        case .flag: return "[--\(name)]"
        case .option(let value): return "[--\(name) <\(value)>]"
        case .argument(let optional, let many): return (optional ? "[<\(name)>]" : "<\(name)>") + (many ? " ..." : "")
        }
    }

    /// How the parameter is written at the head of its help line.
    var label: String {
        switch kind {
        case .flag: return "--\(name)"
        case .option(let value): return "--\(name) <\(value)>"
        case .argument: return "<\(name)>"
        }
    }
}

/// A command or a group of commands: its name, its one-line description, and what it accepts or holds.
struct CommandSpec: Sendable {
    let name: String
    let abstract: String
    var parameters: [Parameter] = []
    var subcommands: [CommandSpec] = []
    /// Runs the command on its parsed command line (nil for a group).
    var run: (@Sendable (ParsedArguments) throws -> Void)? = nil
}

/// A command the CLI runs: its declaration, how it reads its parsed command line, and what it does.
protocol Command: SendableMetatype {
    /// Name, description and parameters (the runner is added by `entry`).
    static var spec: CommandSpec { get }
    /// Reads the values this command needs; throws `UsageError` for a value of the wrong form.
    init(_ arguments: ParsedArguments) throws
    func run() throws
}

extension Command {
    /// The command's declaration with its runner.
    static var entry: CommandSpec {
        var s = spec
        s.run = { try Self($0).run() }
        return s
    }
}

/// A command line the user got wrong; printed with the command's usage, exit status 64 (EX_USAGE).
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Ends the process with `code` once the command has said what it had to.
struct ExitCode: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}

/// The values found on a command line, by parameter name.
struct ParsedArguments: Sendable {
    // Arrays, not sets or dictionaries: a handful of entries, and no generic type to set up at start.
    var flags: [String] = []
    /// Name and value; the last of a repeated option wins.
    var options: [(String, String)] = []
    var positionals: [(String, [String])] = []

    /// Whether the flag was given.
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The option's value, if given.
    func option(_ name: String) -> String? { options.last { $0.0 == name }?.1 }

    /// The positional argument's value (the parser has checked that a required one is present).
    func argument(_ name: String) -> String? { arguments(name).first }

    /// Every value of a positional argument that takes many.
    func arguments(_ name: String) -> [String] { positionals.first { $0.0 == name }?.1 ?? [] }

    /// The option's value as an integer, if given.
    func integer<T: FixedWidthInteger>(option name: String, as: T.Type = T.self) throws -> T? {
        guard let s = option(name) else { return nil }
        guard let v = T(s) else { throw UsageError("--\(name) expects a whole number; got '\(s)'") }
        return v
    }

    /// The positional argument's value as an integer, if given.
    func integer<T: FixedWidthInteger>(argument name: String, as: T.Type = T.self) throws -> T? {
        guard let s = argument(name) else { return nil }
        guard let v = T(s) else { throw UsageError("<\(name)> expects a whole number; got '\(s)'") }
        return v
    }
}

/// Reads a command line against the command tree and runs the command it names.
enum CommandLineRunner {
    /// Runs `arguments` (without the program name) against `root`; returns the exit status.
    static func run(_ root: CommandSpec, version: String, arguments: [String]) -> Int32 {
        var path = [root]
        var rest = arguments[...]
        // Walk down the groups: each takes a subcommand name, help, or (at the root) --version.
        while let group = path.last, group.run == nil {
            guard let word = rest.first else { print(help(path)); return 0 }
            rest = rest.dropFirst()
            switch word {
            case "-h", "--help": print(help(path)); return 0
            case "--version" where path.count == 1: print(version); return 0
            case "--generate-completion-script" where path.count == 1:
                guard let shell = rest.first, let script = Completions.script(for: shell, root: root) else {
                    return usageError(path, "--generate-completion-script expects one of \(Completions.shells.joined(separator: ", "))")
                }
                print(script, terminator: "")
                return 0
            case "help":
                // `tidings help feeds add`: help of the command those words name.
                var target = path
                for name in rest {
                    guard let sub = target.last!.subcommands.first(where: { $0.name == name }) else {
                        return usageError(path, "unknown command '\(name)'")
                    }
                    target.append(sub)
                }
                print(help(target))
                return 0
            default:
                guard let sub = group.subcommands.first(where: { $0.name == word }) else {
                    return usageError(path, word.hasPrefix("-") ? "unknown option '\(word)'" : "unknown command '\(word)'")
                }
                path.append(sub)
            }
        }
        let command = path.last!
        let parsed: ParsedArguments
        do {
            guard let p = try parse(Array(rest), for: command) else { print(help(path)); return 0 }
            parsed = p
        } catch let e as UsageError {
            return usageError(path, e.description)
        } catch {
            return report(error)
        }
        do {
            try command.run!(parsed)
            return 0
        } catch let e as UsageError {
            return usageError(path, e.description)
        } catch {
            return report(error)
        }
    }

    /// The exit status for an error a command threw (other than a usage error), after saying what it was.
    private static func report(_ error: Error) -> Int32 {
        if let e = error as? ExitCode { return e.code }
        FileHandle.standardError.write(Data("tidings: \(error)\n".utf8))
        return 1
    }

    private static func usageError(_ path: [CommandSpec], _ message: String) -> Int32 {
        let name = path.map(\.name).joined(separator: " ")
        FileHandle.standardError.write(Data("tidings: \(message)\n\(usage(path))\nSee '\(name) --help'.\n".utf8))
        return 64
    }

    /// The values of `words` for `command`, or nil when they ask for help.
    static func parse(_ words: [String], for command: CommandSpec) throws -> ParsedArguments? {
        var result = ParsedArguments()
        let positional = command.parameters.filter(\.isPositional)
        var loose: [String] = []
        var i = 0
        var optionsEnded = false
        while i < words.count {
            let word = words[i]
            i += 1
            if optionsEnded || word == "-" || !word.hasPrefix("-") { loose.append(word); continue }
            if word == "--" { optionsEnded = true; continue }
            if word == "-h" || word == "--help" { return nil }
            guard word.hasPrefix("--") else { throw UsageError("unknown option '\(word)'") }
            let body = word.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
            guard let p = command.parameters.first(where: { $0.name == name && !$0.isPositional }) else {
                throw UsageError("unknown option '--\(name)'")
            }
            switch p.kind {
            case .flag:
                guard inline == nil else { throw UsageError("--\(name) takes no value") }
                result.flags.append(name)
            case .option:
                if let inline {
                    result.options.append((name, inline))
                } else {
                    guard i < words.count else { throw UsageError("missing value for --\(name)") }
                    result.options.append((name, words[i]))
                    i += 1
                }
            case .argument:
                break
            }
        }
        var next = loose[...]
        for p in positional {
            guard case .argument(let optional, let many) = p.kind else { continue }
            if next.isEmpty {
                if !optional { throw UsageError("missing <\(p.name)>") }
                continue
            }
            if many {
                result.positionals.append((p.name, Array(next)))
                next = []
            } else {
                result.positionals.append((p.name, [next.removeFirst()]))
            }
        }
        if let extra = next.first { throw UsageError("unexpected argument '\(extra)'") }
        return result
    }

    /// The usage line of the command at the end of `path`.
    static func usage(_ path: [CommandSpec]) -> String {
        let name = path.map(\.name).joined(separator: " ")
        let command = path.last!
        if command.run == nil { return "USAGE: \(name) <subcommand>" }
        let options = command.parameters.filter { !$0.isPositional }.map(\.usage)
        let arguments = command.parameters.filter(\.isPositional).map(\.usage)
        return "USAGE: " + ([name] + options + arguments).joined(separator: " ")
    }

    /// The help text of the command at the end of `path`.
    static func help(_ path: [CommandSpec]) -> String {
        let command = path.last!
        var options = command.parameters.filter { !$0.isPositional }.map { ($0.label, $0.help) }
        if path.count == 1 {
            options.append(("--version", "Show the version."))
            options.append(("--generate-completion-script <shell>", "Print a completion script for bash, zsh or fish."))
        }
        options.append(("-h, --help", "Show help information."))
        let sections = [("ARGUMENTS", command.parameters.filter(\.isPositional).map { ($0.label, $0.help) }),
                        ("OPTIONS", options), ("SUBCOMMANDS", command.subcommands.map { ($0.name, $0.abstract) })]
        // One column for every section's descriptions; a label too long for it gets a line of its own.
        let width = min(sections.flatMap { $0.1 }.map { $0.0.count }.max()! + 4, 28)
        var out = "OVERVIEW: \(command.abstract)\n\n\(usage(path))\n"
        for (title, rows) in sections where !rows.isEmpty {
            out += "\n\(title):\n"
            for (label, text) in rows {
                let head = "  " + label
                out += head.count < width ? head.padding(toLength: width, withPad: " ", startingAt: 0) + text + "\n"
                    : head + "\n" + String(repeating: " ", count: width) + text + "\n"
            }
        }
        if command.run == nil {
            out += "\n  See '\(path.map(\.name).joined(separator: " ")) help <subcommand>' for detailed help.\n"
        }
        return out
    }
}
