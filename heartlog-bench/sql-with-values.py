#!/usr/bin/env python3
"""Writes one of the store's queries with its values written in, for SqlInTurns to time.

    heartlog-bench/sql-with-values.py [REF:]NAME.sql since=TIME [kind=ID] [worker=ID] [until=TIME] [limit=N]

NAME.sql is a query of heartlog-store/src/main/resources/dev/heartlog/store/sql/, as this
checkout has it, or as git commit REF had it (37edd5ad:error-kinds.sql). Its \\ir lines are
read in as the store reads them (NamedSql), its comments left out, and each :name replaced by
its value: a quoted text, or NULL where none is given (:limit is 20 unless given). The query
goes to standard output.
"""
import re
import subprocess
import sys

FOLDER = 'heartlog-store/src/main/resources/dev/heartlog/store/sql/'


def read(ref, name):
    if ref:
        return subprocess.run(['git', 'show', f'{ref}:{FOLDER}{name}'], capture_output=True, text=True,
                              check=True).stdout
    with open(FOLDER + name, encoding='utf-8') as f:
        return f.read()


def text(ref, name):
    return re.sub(r'(?m)^\\ir\s+(\S+\.sql)\s*$', lambda m: text(ref, m.group(1)), read(ref, name))


def main(query, *values):
    ref, _, name = query.rpartition(':')
    given = dict(value.split('=', 1) for value in values)
    def value(match):
        name = match.group(1)
        if name == 'limit':
            return given.get('limit', '20')
        return "'" + given[name].replace("'", "''") + "'" if name in given else 'NULL'
    sql = re.sub(r'(?m)--.*$', '', text(ref, name))
    print(re.sub(r'(?<![:\w]):([a-z_][a-z0-9_]*)', value, sql))


if __name__ == '__main__':
    main(*sys.argv[1:])
