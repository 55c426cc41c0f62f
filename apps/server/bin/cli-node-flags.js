// Node flags of the `gridgov` command (also used by the registry bench, which runs imports as the CLI does).
// A batch command's heap is kept small: an import's live set is small (a batch, the duplicate keys), but V8 lets
// garbage pile up to several hundred MB between full collections when nothing limits it, and its young generation
// takes 48 MB. On PGlite, whose engine already takes about 800 MB of the process, that decided whether a
// million-row import stayed near 1 GiB (300,000 rows: 1,324 MiB unlimited, ~1,050 with the old-space cap, ~1,000
// with the smaller semi-spaces too; no speed difference beyond this machine's run-to-run noise).
export const CLI_NODE_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4'];
