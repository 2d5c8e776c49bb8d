# SPDX-License-Identifier: MIT
"""The stdio adapter protocol (docs/adapter-protocol.md) as the client, for the agent's tests."""
import os
import select
import struct
import time

HELLO, RESET, INJECT, ACTION, POLL, IDLE, CLOSE = range(1, 8)
MAGIC = 0x50464356
ACT_CREATE, ACT_DESTROY, ACT_SEND, ACT_ANNOUNCE, ACT_RETURN = 0x100, 0x101, 0x102, 0x103, 0x104
EVT_DELIVER, EVT_CREATED, EVT_DESTROYED = 0x100, 0x101, 0x102
ANY = 0xFFFFFFFF


def s(b):
    return struct.pack("<I", len(b)) + b


class Client:
    def __init__(self, rfd, wfd, timeout=10.0):
        self.rfd, self.wfd, self.timeout, self.seq = rfd, wfd, timeout, 0
        self.buf = b""

    def _read_exact(self, n):
        end = time.monotonic() + self.timeout
        while len(self.buf) < n:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no complete reply within %.1f s (have %d of %d bytes)"
                                   % (self.timeout, len(self.buf), n))
            r, _, _ = select.select([self.rfd], [], [], left)
            if r:
                chunk = os.read(self.rfd, 65536)
                if not chunk:
                    raise EOFError("the agent closed the stream (%d bytes pending)" % len(self.buf))
                self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def request(self, op, payload=b""):
        seq = self.seq
        self.seq = (self.seq + 1) & 0xFFFF
        os.write(self.wfd, struct.pack("<IHH", 4 + len(payload), op, seq) + payload)
        length, rop, rseq = struct.unpack("<IHH", self._read_exact(8))
        body = self._read_exact(length - 4)
        if rop != (op | 0x8000) or rseq != seq:
            raise ValueError("reply op 0x%x seq %d to op 0x%x seq %d" % (rop, rseq, op, seq))
        rc, rlen = struct.unpack_from("<iI", body, 0)
        reason = body[8:8 + rlen].decode()
        return rc, reason, body[8 + rlen:]

    def hello(self):
        rc, reason, rest = self.request(HELLO, struct.pack("<II", MAGIC, 1))
        if rc != 0:
            return rc, reason, None
        magic, ver, roles, caps, nlen = struct.unpack_from("<IIIII", rest, 0)
        name = rest[20:20 + nlen].decode()
        vlen, = struct.unpack_from("<I", rest, 20 + nlen)
        version = rest[24 + nlen:24 + nlen + vlen].decode()
        return rc, reason, dict(magic=magic, version=ver, roles=roles, caps=caps, name=name,
                                impl=version)

    def reset(self, role=1, params=()):
        p = struct.pack("<II", role, len(params))
        for k, v in params:
            p += s(k.encode()) + s(v.encode())
        return self.request(RESET, p)[:2]

    def action(self, kind, a0=0, a1=0, a2=0, a3=0, data=b""):
        rc, reason, rest = self.request(ACTION, struct.pack("<IQQQQ", kind, a0, a1, a2, a3) + s(data))
        if rc != 0:
            return rc, reason, None, None
        status, value = struct.unpack("<iQ", rest)
        return rc, reason, status, value

    def poll(self):
        rc, reason, rest = self.request(POLL)
        if rc != 0:
            raise ValueError("POLL rc %d: %s" % (rc, reason))
        kind, = struct.unpack_from("<I", rest, 0)
        if kind == 0:
            return None
        if kind != 2:
            raise ValueError("POLL kind %d from the agent" % kind)
        typ, a0, a1, a2, a3, dlen = struct.unpack_from("<IQQQQI", rest, 4)
        return dict(type=typ, args=(a0, a1, a2, a3), data=rest[4 + 40:4 + 40 + dlen])

    def idle(self):
        rc, reason, rest = self.request(IDLE)
        if rc != 0:
            raise ValueError("IDLE rc %d: %s" % (rc, reason))
        return struct.unpack("<I", rest)[0]

    def close(self):
        return self.request(CLOSE)[:2]


def check(cond, what):
    if not cond:
        raise AssertionError(what)


class Uml:
    """A UML guest with the agent as /init, its serial line ssl0 on two pipes (fd:3,fd:4 in
    UML) and its console (con0 = UML's stdout) collected line by line."""

    def __init__(self, kernel, agent, tmp, extra=()):
        import fcntl
        import shutil
        import subprocess
        import threading
        root = os.path.join(tmp, "root")
        for d in ("dev", "proc", "sys"):
            os.makedirs(os.path.join(root, d))
        shutil.copy(agent, os.path.join(root, "init"))
        self.uml_dir = os.path.join(tmp, "uml")
        os.makedirs(self.uml_dir)
        h2g_r, self.h2g_w = os.pipe()  # host -> guest: UML's fd 3
        self.g2h_r, g2h_w = os.pipe()  # guest -> host: UML's fd 4
        # The child's ends above fd 9 first, so that moving them to 3 and 4 clobbers nothing.
        a = fcntl.fcntl(h2g_r, fcntl.F_DUPFD_CLOEXEC, 10)
        b = fcntl.fcntl(g2h_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(h2g_r)
        os.close(g2h_w)
        cmd = ["bash", "-c", 'exec 3<&%d 4>&%d %d<&- %d>&-; exec "$@"' % (a, b, a, b), "bash",
               "timeout", "-k", "5", "60", kernel, "mem=64M", "root=/dev/root",
               "rootfstype=hostfs", "rootflags=" + root, "rw", "init=/init",
               "uml_dir=" + os.path.join(tmp, "uml"), "con0=null,fd:1", "ssl0=fd:3,fd:4"]
        self.proc = subprocess.Popen(cmd + list(extra), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     pass_fds=(a, b), env=dict(os.environ, TMPDIR=tmp),
                                     start_new_session=True)
        os.close(a)
        os.close(b)
        self.console = []
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            text = line.decode(errors="replace").rstrip("\n")
            self.console.append(text)
            if text.startswith("vconform-agent: ready"):
                self.ready.set()

    def client(self, timeout=10):
        check(self.ready.wait(30), "no 'vconform-agent: ready' line on the console")
        return Client(self.g2h_r, self.h2g_w, timeout)

    def wait(self, timeout=30):
        rc = self.proc.wait(timeout=timeout)
        self.thread.join(timeout=5)
        return rc

    def kill(self):
        import glob
        import signal
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        # UML calls setsid(): killing timeout's group does not reach it. Its pid file names
        # the session leader, whose group holds every UML process.
        for pidfile in glob.glob(os.path.join(self.uml_dir, "*", "pid")):
            try:
                with open(pidfile) as f:
                    os.killpg(int(f.read().strip()), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        self.thread.join(timeout=5)

    def bad_lines(self):
        return [x for x in self.console
                if "BUG" in x or "WARNING" in x or "Kernel panic" in x or "Oops" in x]
