/// The version of this build.
public enum Version {
    /// Semantic version.
    public static let current = "0.1.0"
}
