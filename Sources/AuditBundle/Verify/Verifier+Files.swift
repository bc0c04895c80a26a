import AuditCore

extension Verifier {
    /// Layout, file set and digests: walk without trusting links, compare names, then hash
    /// only the files the manifest names (extra files already fail the set check).
    func checkFiles(_ directory: String, statement: ModelStatement, options: VerifyOptions,
                    report: inout Report) throws(BundleInputError) {
        let manifest = statement.manifest
        let method = manifest.serialization.method
        let tree = try BundleWalker.walk(root: directory, serialization: manifest.serialization)
        var problems = tree.problems.map(\.description)

        var expected: [ResourceKey: ManifestResource] = [:]
        for r in manifest.resources {
            guard let key = ResourceKey.parse(r.name, method: method) else {
                problems.append(LayoutProblem.pathTraversal(name: r.name).description)
                continue
            }
            expected[key] = r
        }
        report.set(.layout, problems.isEmpty ? .passed : .failed,
                   problems.isEmpty ? "\(tree.files.count) regular files, no symlink leaving the bundle, no special file"
                                    : problems[0] + (problems.count > 1 ? " (and \(problems.count - 1) more)" : ""),
                   findings: problems)

        let expectedPaths = Set(expected.keys.map(\.path))
        let present = tree.files.filter { expectedPaths.contains($0.path) }
        let presentPaths = Set(present.map(\.path))
        let actualKeys = Set(ParallelHasher.makeJobs(present, method: method).map(\.key))
        // A path already refused by the layout check (a symlink where a file was signed) is
        // reported there, not a second time as missing.
        let refused = Set(tree.problems.compactMap(\.path))
        let missing = expectedPaths.subtracting(presentPaths).filter { !refused.contains($0.string) }.sorted().map(\.string)
        // With shards, an empty file has no resource (model-signing cuts it into no ranges).
        let extra = tree.files.filter { !expectedPaths.contains($0.path) && (method == .files || $0.size > 0) }.map(\.path.string)
        var setFindings = missing.map { "missing: \($0)" } + extra.map { "extra: \($0)" }
        // A sharded file whose size changed has other ranges than signed: that is a content
        // change, reported with the digests.
        let mine = Dictionary(grouping: actualKeys, by: \.path).mapValues(Set.init)
        let theirs = Dictionary(grouping: expected.keys, by: \.path).mapValues(Set.init)
        let resized = method == .files ? [] : present.filter { mine[$0.path] != theirs[$0.path] }.map(\.path.string)
        if setFindings.isEmpty {
            report.set(.fileSet, .passed, "all \(expectedPaths.count) files present, none extra")
        } else {
            setFindings.sort()
            report.set(.fileSet, .failed, "\(missing.count) missing, \(extra.count) extra: " + setFindings.prefix(3).joined(separator: "; "),
                       findings: setFindings)
        }

        let subtree = BundleTree(root: tree.root, files: present, problems: [])
        let actual: [ManifestResource]
        do {
            actual = try ParallelHasher.hash(tree: subtree, method: method, workers: options.workers,
                                             progress: options.progress, observer: options.hashObserver)
        } catch {
            // A file that changed under the hash is a digest failure naming it, not bad input:
            // the bytes that would be loaded are not the bytes that were checked.
            guard case .changedWhileHashing(let path, let change) = error else { throw error }
            report.set(.fileDigests, .failed, "\(path) changed while being verified: \(change)",
                       findings: ["\(path): changed while being verified: \(change)"])
            return
        }
        var mismatched = resized.map { "\($0): size differs from the signed shards" }
        for resource in actual {
            guard let key = ResourceKey.parse(resource.name, method: method), let want = expected[key] else { continue }
            if want.digest != resource.digest { mismatched.append("\(resource.name): digest \(resource.digest.prefixed), signed \(want.digest.prefixed)") }
        }
        if mismatched.isEmpty {
            report.set(.fileDigests, .passed, "\(actual.count) \(method == .files ? "files" : "shards") match (\(subtree.totalBytes) bytes)")
        } else {
            report.set(.fileDigests, .failed, "\(mismatched.count) changed: " + mismatched[0], findings: mismatched)
        }
    }
}
