"""Writes exception-groups.json: the tracebacks Python's logging stores (traceback.format_exc())
for exception groups, as ExceptionGroupTest reads them. Run with Python 3.11 or later:
python3 exception-groups.py > exception-groups.json"""
import asyncio
import json
import sys
import traceback

tracebacks = {"python": sys.version.split()[0]}


def keep(name, action):
    try:
        action()
    except BaseException:
        tracebacks[name] = (traceback.format_exc().replace(__file__, "/srv/worker.py")
                                                  .replace(sys.prefix + "/lib", "/usr/lib"))


async def render(frame):
    if frame == 2:
        raise ValueError(f"bad frame {frame}")
    await asyncio.sleep(0)


async def render_all():
    async with asyncio.TaskGroup() as group:
        for frame in range(3):
            group.create_task(render(frame))


async def upload(frame):
    try:
        raise OSError("disk full")
    except OSError as e:
        raise RuntimeError(f"frame {frame} not written") from e


async def upload_all():
    async with asyncio.TaskGroup() as group:
        group.create_task(upload(3))


def nested():
    raise ExceptionGroup("render failed", [ExceptionGroup("gpu", [KeyError("cuda:1")]),
                                           ValueError("bad frame 12"), TypeError("no codec")])


def group_from_cause():
    try:
        raise OSError("disk full")
    except OSError as e:
        raise ExceptionGroup("upload failed", [RuntimeError("frame 3 not written")]) from e


def error_after_group():
    try:
        nested()
    except ExceptionGroup:
        raise RuntimeError("render gave up")


def group_after_group():
    try:
        nested()
    except ExceptionGroup:
        raise ExceptionGroup("retry failed", [LookupError("frame 9 missing")])


def group_of_raised_group():
    try:
        raise ExceptionGroup("inner", [ValueError("bad model")])
    except ExceptionGroup as e:
        raise ExceptionGroup("outer", [e])


def message_of_two_lines():
    raise ExceptionGroup("checks", [ValueError("bad frame 4\nexpected 1920x1080")])


def deeper_than_printed():
    e = ValueError("innermost")
    for level in range(12):
        e = ExceptionGroup(f"level {level}", [e])
    raise e


keep("task_group", lambda: asyncio.run(render_all()))
keep("task_group_chained", lambda: asyncio.run(upload_all()))
keep("nested", nested)
keep("group_from_cause", group_from_cause)
keep("error_after_group", error_after_group)
keep("group_after_group", group_after_group)
keep("group_of_raised_group", group_of_raised_group)
keep("message_of_two_lines", message_of_two_lines)
keep("deeper_than_printed", deeper_than_printed)
json.dump(tracebacks, sys.stdout, indent=1)
print()
