import Foundation
import TestSupport
import XCTest

/// Runs a program found on PATH, returning its combined output and status.
func runTool(_ name: String, _ arguments: [String]) throws -> (output: String, status: Int32) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [name] + arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), p.terminationStatus)
}

final class SystemdUnitTests: XCTestCase {
    let unit = repositoryRoot().appendingPathComponent("systemd/tidings.service")

    /// systemd's own checks of the shipped unit (CI installs the systemd package for systemd-analyze).
    func testUnitVerifiesAndExposureIsAtMostTwo() throws {
        // verify also checks that ExecStart exists: point it at this build, everything else as shipped.
        let dir = temporaryDirectory("tidings-unit")
        let text = try String(contentsOf: unit, encoding: .utf8)
        XCTAssertTrue(text.contains("ExecStart=/usr/local/bin/tidings serve"))
        let copy = dir.appendingPathComponent("tidings.service")
        try text.replacingOccurrences(of: "/usr/local/bin/tidings", with: tidingsExecutable().path)
            .write(to: copy, atomically: true, encoding: .utf8)
        let verify = try runTool("systemd-analyze", ["verify", copy.path])
        XCTAssertEqual(verify.status, 0, verify.output)
        XCTAssertEqual(
            verify.output.trimmingCharacters(in: .whitespacesAndNewlines), "", "verify is clean: \(verify.output)")

        let security = try runTool("systemd-analyze", ["security", "--offline=true", unit.path])
        XCTAssertEqual(security.status, 0, security.output)
        let line = try XCTUnwrap(
            security.output.split(separator: "\n").first { $0.contains("Overall exposure level") }, security.output)
        let score = try XCTUnwrap(line.split(separator: " ").compactMap { Double($0) }.last, String(line))
        XCTAssertLessThanOrEqual(score, 2.0, String(line))
    }

    /// The unit keeps the promises the README makes about it.
    func testUnitIsNotifyWithWatchdogAndConfinedToItsDirectories() throws {
        let text = try String(contentsOf: unit, encoding: .utf8)
        for line in [
            "Type=notify", "WatchdogSec=", "DynamicUser=yes", "StateDirectory=tidings",
            "ConfigurationDirectory=tidings",
            "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes", "NoNewPrivileges=yes",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service",
            "CapabilityBoundingSet=\n", "MemoryMax=",
        ] {
            XCTAssertTrue(text.contains(line), "the unit sets \(line)")
        }
    }
}
