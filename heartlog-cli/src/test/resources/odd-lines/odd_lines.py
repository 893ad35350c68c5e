"""Lines of every format heartlog run reads, bent at random (odd numbers, a stray quote or
brace, cut short), printed to stdout and stderr: what a worker may print, which heartlog run must
read without its reading stopping. The seed is the first argument; the last line of each stream
says it was the last."""
import random, re, sys
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
seeds = [
 '[12:00:00] INFO GENERATOR [Task t-1] Loading model',
 '{"level":"info","msg":"x","time":1764410400123,"task_id":"t"}',
 '{"levelname":"ERROR","message":"m","exc_info":"Traceback"}',
 '{"level":30,"time":1764410400123,"msg":"pino"}',
 '{"level":"ERROR+4","msg":"slog"}',
 '{"record":{"level":{"name":"INFO"},"message":"m","time":{"timestamp":1764410400.5}}}',
 'time=2026-11-29T18:38:07.123+01:00 level=WARN msg="low VRAM" free_mb=512',
 'level=INFO+2 msg=hi',
 '[2026-11-30 07:03:07,016: WARNING/ForkPoolWorker-1] print frame 2',
 '[2026-11-30 07:03:07,016: INFO/MainProcess] Task app.render[1234] succeeded in 0.5s: None',
 '07:11:55 default: jobs.render(1) (abc-123)',
 'I1129 10:00:00.123456  4242 gpu_device.cc:2019] Created',
 '2026/11/29 18:38:07.123456 main.go:42: INFO+3 hi',
 '06:01:16.020 [main] WARN com.example.Worker -- VRAM',
 'INFO:root:Loading',
 '2026-11-29 17:17:42,731 - worker - ERROR - x',
 '12/02/2026 22:00:01 - WARNING - acc - m',
 'INFO 12-02 22:00:02 [x.py:12] vllm',
 '(EngineCore_DP0 pid=4242) INFO 12-02 22:00:02 [x.py:12] vllm',
 '[05:46:48] INFO     rendering frame 7                     rh.py:5',
 'Nov 29, 2026 10:00:00 AM com.example.Worker render',
 'INFO: Loading model',
 'Traceback (most recent call last):',
 '  File "x.py", line 3, in <module>',
 'ValueError: bad',
 'java.io.IOException: disk full',
 '\tat com.example.Render.run(Render.java:42)',
 'panic: runtime error',
 "thread 'main' panicked at src/main.rs:2:5:",
 '2026-11-29 18:42:45 [error    ] render failed',
 '{"time":"2026-11-29T18:38:07.123456789Z","level":"INFO","msg":"x"}',
 '{"timestamp":"+999999999-12-31T23:59:59Z","level":"INFO","msg":"x"}',
 '{"ts":1e400,"level":"INFO","msg":"x"}',
 '{"time":-99999999999999999999999,"level":"INFO","msg":"x"}',
 '{"level":99999999999999999999,"msg":"x"}',
]
digits = ['99999999999999999999', '-1', '0', '1e309', 'NaN', '9'*40, '', '\u0000', '\ud7ff', '+', '.']
for i in range(4000):
    s = random.choice(seeds)
    r = random.random()
    if r < 0.3:
        # replace a digit run with an odd number
        s = re.sub(r'\d+', lambda m: random.choice(digits) if random.random() < 0.5 else m.group(0), s)
    elif r < 0.5:
        p = random.randrange(len(s)+1); s = s[:p] + random.choice(['"', '\\', '{', '}', '[', ']', '=', ':', ' ', '|', '\t', 'é', '\u2028']) + s[p:]
    elif r < 0.6:
        s = s[:random.randrange(len(s)+1)]
    print(s, file=random.choice([sys.stdout, sys.stderr]))
print("odd lines: the last of stdout")
print("odd lines: the last of stderr", file=sys.stderr)
