"""The command line is used in pipes: `outside-in agenda 2 --json | head -1` must not end in a traceback."""
import subprocess
import sys


def test_a_reader_that_stops_early_gets_no_traceback(demo_db):
    command = [sys.executable, "-m", "meeting", "--db", str(demo_db), "agenda", "2", "--json"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the agenda is written: every write meets a closed pipe
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, error
    assert "Traceback" not in error
