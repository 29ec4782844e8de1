#!/usr/bin/env python3
"""The include graph of core/, cli/ and wasm/ goes from the leaves up: checked here, from the source text.

Every module (a .hpp and its .cpp, e.g. core/sweep) belongs to one layer of LAYERS. A module may include
modules of its own layer and of layers of a lower rank, never a higher one nor a sibling (another layer of the
same rank: data and model, session and sweep, cli and wasm do not know each other). Third-party headers are
confined to the layers of THIRD_PARTY (JSON only in io/ and the front ends). Then the module graph (a
header and its source file taken as one node, so that sweep.cpp -> io/ -> sweep.hpp counts as a cycle; the
modules of one component in COMPONENTS as one node too) must be acyclic, and so must the graph of the files
themselves. The ranks already rule out a cycle across layers; these catch one inside a layer.

A quoted include is resolved as the compiler does here: next to the including file, then in core/ (the core's
public include directory). A module in core/, cli/ or wasm/ that no layer lists is an error too: add it to
the table where it belongs.

Usage: python3 scripts/check-includes.py [--graph]   (--graph also prints the modules by layer)
Exit status 0 when the graph is clean, 1 with one line per problem on stderr.
"""
import fnmatch
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
SCANNED = ('core', 'cli', 'wasm')
INCLUDE_DIRS = ('core',)  # after the including file's own directory
SOURCE_EXTENSIONS = ('.hpp', '.cpp', '.h')

# (rank, layer, modules): lowest first. A module is a path without extension; shell patterns allowed.
LAYERS = [
    (0, 'base', ['core/types', 'core/activation', 'core/rng',     # Eigen typedefs, sigma*/phi, random streams,
                 'core/parallel', 'core/elementwise']),            # fixed blocks on the available threads
    (1, 'config', ['core/config', 'core/config_schema']),          # one run's parameters and their validation
    (1, 'gemm', ['core/gemm', 'core/gemm_kernel', 'core/block_blas', 'core/symv']),  # the products, below all that multiplies
    (2, 'data', ['core/data']),                                    # teacher and data sets
    (2, 'model', ['core/model']),                                  # the student, forward and backward
    (2, 'optim', ['core/optim']),                                  # GD, Adam, StepLR
    (2, 'ridge', ['core/ridge']),                                  # the last layer's ridge refit
    (3, 'analysis', ['core/symeig', 'core/tridiagonalize', 'core/sterf',  # what a probe measures, from matrices
                     'core/mp', 'core/powerlaw',
                     'core/spectrum', 'core/metrics', 'core/figures',
                     'core/weight_layers', 'core/layer_analysis']),  # and any model file's layers
    (4, 'session', ['core/session']),                              # one run: steps and probes
    (4, 'sweep', ['core/sweep', 'core/sweep_stats',                # grids of runs, their statistics and
                  'core/findings',                                 # what runs and sweeps show, the cost model
                  'core/sweep_cost', 'core/sweep_shard',           # of a run and the shard assignment,
                  'core/pool_plan']),                              # the page's worker pools
    (5, 'io', ['core/io/*']),                                      # JSON of everything above
    (6, 'cli', ['cli/*']),                                         # the spiketail command
    (6, 'wasm', ['wasm/*']),                                       # the embind module
]

# Modules that are one component split over files, taken as one node of the module graph.
COMPONENTS = {
    # config.cpp's validate() checks the ranges of the field table, and the table describes Config.
    'core/config_schema': 'core/config',
}

# Third-party header prefixes and the layers that may include them (any other <...> header is unrestricted).
THIRD_PARTY = {
    'nlohmann/': {'io', 'cli', 'wasm'},
    'yaml-cpp/': {'cli'},
    'CLI/': {'cli'},
    'emscripten/': {'wasm'},
    'mpi.h': {'cli'},
    'cblas.h': {'gemm'},                                           # core/block_blas.cpp, only with SPIKETAIL_OPENBLAS                                              # cli/sweep_mpi.cpp, only with SPIKETAIL_MPI
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def layer_of(module):
    for rank, name, patterns in LAYERS:
        if any(fnmatch.fnmatchcase(module, p) for p in patterns):
            return rank, name
    return None


def source_files():
    for top in SCANNED:
        for directory, _, names in os.walk(os.path.join(ROOT, top)):
            for name in sorted(names):
                if name.endswith(SOURCE_EXTENSIONS):
                    yield os.path.relpath(os.path.join(directory, name), ROOT).replace(os.sep, '/')


def resolve(includer, target):
    for base in (os.path.dirname(includer),) + INCLUDE_DIRS:
        candidate = os.path.normpath(os.path.join(base, target)).replace(os.sep, '/')
        if os.path.isfile(os.path.join(ROOT, candidate)):
            return candidate
    return None


def find_cycle(graph):
    """A cycle of the directed graph as a list of nodes (first == last), or None."""
    white, grey, black = 0, 1, 2
    color = {node: white for node in graph}
    for start in sorted(graph):
        if color[start] != white:
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        color[start] = grey
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                color[path.pop()] = black
                stack.pop()
            elif color[nxt] == grey:
                return path[path.index(nxt):] + [nxt]
            elif color[nxt] == white:
                color[nxt] = grey
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def main():
    problems = []
    modules = {}  # module -> set of included modules
    file_graph = {}  # file -> set of included files
    for path in source_files():
        module = os.path.splitext(path)[0]
        here = layer_of(module)
        modules.setdefault(module, set())
        file_graph.setdefault(path, set())
        if here is None:
            problems.append(f'{path}: in no layer of scripts/check-includes.py (add it to LAYERS)')
            continue
        with open(os.path.join(ROOT, path), encoding='utf-8') as f:
            for number, line in enumerate(f, 1):
                match = INCLUDE.match(line)
                if not match:
                    continue
                where = f'{path}:{number}'
                kind, target = match.groups()
                if kind == '<':
                    for prefix, allowed in THIRD_PARTY.items():
                        if target.startswith(prefix) and here[1] not in allowed:
                            problems.append(f'{where}: <{target}> in layer {here[1]} (only in {", ".join(sorted(allowed))})')
                    continue
                resolved = resolve(path, target)
                if resolved is None:
                    problems.append(f'{where}: "{target}" not found next to the file nor in core/')
                    continue
                file_graph[path].add(resolved)
                file_graph.setdefault(resolved, set())
                included = os.path.splitext(resolved)[0]
                there = layer_of(included)
                if included == module or there is None:
                    continue  # its own header; an unlisted file is reported on its own
                modules[module].add(included)
                if there[1] != here[1] and there[0] >= here[0]:
                    relation = 'a sibling layer' if there[0] == here[0] else 'a higher layer'
                    problems.append(f'{where}: {here[1]} (rank {here[0]}) includes "{target}" of {relation}, '
                                    f'{there[1]} (rank {there[0]})')
    graph = {m: {d for d in deps if d in modules} for m, deps in modules.items()}
    components = {}
    for module, deps in graph.items():
        node = COMPONENTS.get(module, module)
        components.setdefault(node, set()).update(COMPONENTS.get(d, d) for d in deps if COMPONENTS.get(d, d) != node)
    for what, g in (('file', file_graph), ('module', components)):
        cycle = find_cycle(g)
        if cycle:
            problems.append(f'{what} include cycle: ' + ' -> '.join(cycle))

    if '--graph' in sys.argv[1:]:
        for rank, name, _ in LAYERS:
            members = sorted(m for m in modules if layer_of(m) == (rank, name))
            print(f'{rank} {name:9} ' + ', '.join(f'{m} -> {{{", ".join(sorted(graph[m]))}}}' for m in members))
    for problem in problems:
        print(f'check-includes: {problem}', file=sys.stderr)
    if problems:
        return 1
    print(f'check-includes: {len(modules)} modules of {", ".join(SCANNED)} in {len(LAYERS)} layers, no include cycle')
    return 0


if __name__ == '__main__':
    sys.exit(main())
