"""Starts `sioscope serve` for a Python suite and reads where it listens from its JSON trace."""
import json
import subprocess
import tempfile
import time


class SioscopeServe:
    """`sioscope serve ARGS --port 0 --trace json` with its trace in a temporary file."""

    def __init__(self, binary, args, name):
        self.log = tempfile.NamedTemporaryFile(prefix=name + "-trace-", suffix=".jsonl", delete=False)
        self.process = subprocess.Popen([binary, "serve", "--port", "0", "--trace", "json"] + args,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            with open(self.log.name) as f:
                first = f.readline()
            if first.endswith("\n"):
                self.port = int(json.loads(first)["urls"][0].split(":")[2].split("/")[0])
                return
            if self.process.poll() is not None:
                raise SystemExit("%s: sioscope serve exited at start: %s" % (name, open(self.log.name).read()))
            time.sleep(0.05)
        raise SystemExit("%s: sioscope serve did not say where it listens within 30 s" % name)

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
