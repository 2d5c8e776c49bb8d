#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""uml_agent_stdio: the real vconform-uml-agent on the host, serving stdin/stdout.

VCF_AGENT_TTY=stdio and a fake sysfs tree: checks the frame loop of agent_main.c (HELLO first,
malformed and unknown requests answered and survived, events from the bus scan, CLOSE, end of
stream, garbage) without a kernel. Not PID 1, so nothing is mounted and it exits.
usage: stdio_test.py AGENT
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import agent_proto as P  # noqa: E402


def start(agent, tmp):
    env = dict(os.environ, VCF_AGENT_TTY="stdio", VCF_AGENT_SYS=os.path.join(tmp, "sys"),
               VCF_AGENT_DEV=os.path.join(tmp, "dev"))
    return subprocess.Popen([agent], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)


def main():
    agent = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="vcf-agent-stdio-")
    try:
        devices = os.path.join(tmp, "sys", "bus", "rpmsg", "devices")
        os.makedirs(os.path.join(devices, "virtio0.rpmsg_ns.53.53"))
        os.makedirs(os.path.join(tmp, "dev"))
        p = start(agent, tmp)
        c = P.Client(p.stdout.fileno(), p.stdin.fileno(), timeout=10)
        rc, reason, _ = c.request(P.POLL)
        P.check(rc == -1 and reason == "HELLO must come first", "POLL first: %d %s" % (rc, reason))
        rc, reason, h = c.hello()
        P.check(rc == 0 and h["name"] == "linux-uml-agent" and h["roles"] == 2, "HELLO %r" % h)
        P.check(c.reset(1)[0] == 0, "RESET")
        P.check(c.poll() is None and c.idle() == 1, "events without a change")
        # The remote announces a service nobody binds: channel-created.
        os.makedirs(os.path.join(devices, "virtio0.echo.-1.1030"))
        P.check(c.idle() == 0, "IDLE with an event queued")
        ev = c.poll()
        P.check(ev == dict(type=P.EVT_CREATED, args=(P.ANY, 1030, 0, 0), data=b"echo"),
                "channel-created %r" % ev)
        P.check(c.poll() is None, "one event only")
        os.rmdir(os.path.join(devices, "virtio0.echo.-1.1030"))
        ev = c.poll()
        P.check(ev is not None and ev["type"] == P.EVT_DESTROYED and ev["data"] == b"echo",
                "channel-destroyed %r" % ev)
        # A malformed request (a RESET cut short) is answered and survived.
        rc, reason, _ = c.request(P.RESET, struct.pack("<I", 1))
        P.check(rc == -1 and "malformed" in reason, "malformed: %d %s" % (rc, reason))
        rc, reason, _ = c.request(0x0042)
        P.check(rc == -2 and "unknown op" in reason, "unknown op: %d %s" % (rc, reason))
        rc, reason, _, _ = c.action(P.ACT_RETURN, 1)
        P.check(rc == -2, "return-buffers")
        P.check(c.close() == (0, ""), "CLOSE")
        p.stdin.close()
        P.check(p.wait(10) == 0, "exit status after CLOSE")
        log = p.stderr.read().decode()
        P.check("vconform-agent: ready" in log and "agent: channel created" in log,
                "log:\n" + log)

        # The end of the stream between frames: a normal end.
        p = start(agent, tmp)
        p.stdin.close()
        P.check(p.wait(10) == 0, "exit status at the end of the stream")
        # Garbage: an impossible length; the stream cannot be trusted.
        p = start(agent, tmp)
        p.stdin.write(b"GARBAGE!")
        p.stdin.close()
        P.check(p.wait(10) == 2, "exit status on garbage")
        err = p.stderr.read().decode()
        P.check("garbage on the line at stream offset 0" in err, "garbage log:\n" + err)
        p.stdout.close()
        p.stderr.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
