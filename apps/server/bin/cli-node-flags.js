// Node flags of the `gridgov` command (also used by the registry bench, which runs imports as the CLI does).
// A batch command's heap is capped: the import's live set is small (a batch, the duplicate keys), but V8 lets
// garbage pile up to several hundred MB between full collections when nothing limits it — on PGlite, whose engine
// already takes about 800 MB of the process, that alone decided whether a million-row import stayed near 1 GiB.
export const CLI_NODE_FLAGS = ['--max-old-space-size=256'];
