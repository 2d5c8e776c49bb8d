#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""uml_agent_rpmsg: the agent against Linux's real rpmsg stack.

Boots UML with the agent as /init and an RPMsg vhost-user device (vcf-agent-vhostd, built on
harness/vhost) as virtio0, then plays both testers: actions through the agent, messages on the
rings through the device. Every action of the agent is checked against the bytes Linux puts on
vq1 and every delivery against what was injected on vq0:
create/send/re-bind, the size limit, deliver, announce (rpmsg_chrdev's own name and another one, bound through
driver_override), announce-destroy, destroy, a refused create, a remote channel's
channel-created/deliver/send/channel-destroyed, and the withdrawal at CLOSE.
Skips (77) when VCONFORM_UML_KERNEL is unset or not executable.
usage: uml_rpmsg.py AGENT VHOSTD
"""
import os
import queue
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import agent_proto as P  # noqa: E402


def msg(src, dst, payload):
    return struct.pack("<IIIHH", src, dst, 0, len(payload), 0) + payload


def ns(name, addr, flags):
    return msg(addr, 53, name.ljust(32, b"\0") + struct.pack("<II", addr, flags))


class Device:
    def __init__(self, vhostd, sock):
        self.p = subprocess.Popen([vhostd, sock], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1)
        P.check(self.p.stdout.readline().strip() == "listening", "vhostd did not listen")
        self.q = queue.Queue()
        threading.Thread(target=lambda: [self.q.put(x.strip()) for x in self.p.stdout],
                         daemon=True).start()

    def line(self, prefix, timeout=5):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                x = self.q.get(timeout=0.1)
            except queue.Empty:
                continue
            if x.startswith(prefix):
                return x
            raise AssertionError("device said %r while waiting for %r" % (x, prefix))
        raise TimeoutError("the device said nothing starting with %r" % prefix)

    def inject(self, m):
        self.p.stdin.write("inject " + m.hex() + "\n")
        P.check(self.line("injected") == "injected 1", "inject")

    def tx(self):
        return bytes.fromhex(self.line("tx ")[3:])

    def quiet(self):
        P.check(self.q.empty(), "unexpected device output %r" % list(self.q.queue))

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


def event(c, timeout=5):
    """Poll until the agent reports something (Linux reacts on its own time)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        e = c.poll()
        if e:
            return e
        if c.idle() == 0:
            continue
        time.sleep(0.01)
    raise TimeoutError("no event from the agent")


def ok(r, what):
    P.check(r[0] == 0 and r[2] == 0, "%s: %r" % (what, r))


def scenario(c, dev):
    P.check(c.hello()[0] == 0, "HELLO")
    P.check(c.reset(1)[0] == 0, "RESET")
    ok(c.action(P.ACT_CREATE, 0x400, 0x401, data=b"svc"), "create")
    ok(c.action(P.ACT_SEND, 0x400, 0x401, data=b"hi"), "send")
    P.check(dev.tx() == msg(0x400, 0x401, b"hi"), "send on the wire")
    dev.inject(msg(0x401, 0x400, b"hello"))
    e = event(c)
    P.check(e == dict(type=P.EVT_DELIVER, args=(0x400, P.ANY, 5, 0), data=b"hello"), "deliver %r" % e)
    ok(c.action(P.ACT_SEND, 0x400, 0x402, data=b"re"), "send elsewhere (re-bind)")
    P.check(dev.tx() == msg(0x400, 0x402, b"re"), "re-bound send on the wire")
    r = c.action(P.ACT_CREATE, 0x400, 0x401, data=b"dup")
    P.check(r[0] == 0 and r[2] == -22, "create on a taken address: %r" % (r,))

    ok(c.action(P.ACT_ANNOUNCE, 0x400, 0), "announce")
    P.check(dev.tx() == ns(b"svc", 0x400, 0), "NS create on the wire")
    ok(c.action(P.ACT_SEND, 0x400, 0x402, data=b"ch"), "send on the channel")
    P.check(dev.tx() == msg(0x400, 0x402, b"ch"), "channel send on the wire")
    dev.inject(msg(0x402, 0x400, b"tochan"))
    e = event(c)
    P.check(e["type"] == P.EVT_DELIVER and e["args"][0] == 0x400 and e["data"] == b"tochan",
            "deliver to the channel %r" % e)
    ok(c.action(P.ACT_ANNOUNCE, 0x400, 1), "announce destroy")
    P.check(dev.tx() == ns(b"svc", 0x400, 1), "NS destroy on the wire")
    ok(c.action(P.ACT_SEND, 0x400, 0x402, data=b"ep"), "send after the withdrawal")
    P.check(dev.tx() == msg(0x400, 0x402, b"ep"), "the endpoint lives on")
    ok(c.action(P.ACT_DESTROY, 0x400), "destroy")
    r = c.action(P.ACT_SEND, 0x400, 0x402, data=b"x")
    P.check(r[2] == -2, "send after destroy: %r" % (r,))

    dev.inject(ns(b"rpmsg-raw", 0x500, 0))
    e = event(c)
    P.check(e == dict(type=P.EVT_CREATED, args=(P.ANY, 0x500, 0, 0), data=b"rpmsg-raw"),
            "channel-created %r" % e)
    dev.inject(msg(0x500, 0x400, b"remote"))  # Linux's first dynamic address
    e = event(c)
    P.check(e == dict(type=P.EVT_DELIVER, args=(0x400, P.ANY, 6, 0), data=b"remote"),
            "deliver on the remote channel %r" % e)
    ok(c.action(P.ACT_SEND, 0x400, 0x500, data=b"back"), "send on the remote channel")
    P.check(dev.tx() == msg(0x400, 0x500, b"back"), "remote channel send on the wire")
    dev.inject(ns(b"rpmsg-raw", 0x500, 1))
    e = event(c)
    P.check(e == dict(type=P.EVT_DESTROYED, args=(P.ANY, 0x500, 0, 0), data=b"rpmsg-raw"),
            "channel-destroyed %r" % e)

    ok(c.action(P.ACT_CREATE, 0x600, 0x700, data=b"foo"), "create foo")
    ok(c.action(P.ACT_ANNOUNCE, 0x600, 0), "announce foo (driver_override)")
    P.check(dev.tx() == ns(b"foo", 0x600, 0), "NS create of foo")
    r = c.action(P.ACT_SEND, 0x600, 0x700, data=bytes(497))
    P.check(r[0] == 0 and r[2] == -90, "497 bytes in 512-byte buffers: EMSGSIZE, %r" % (r,))
    r = c.action(P.ACT_SEND, 0x600, 0x700, data=bytes(496))
    P.check(r[0] == 0 and r[2] == 0, "496 bytes: %r" % (r,))
    P.check(dev.tx() == msg(0x600, 0x700, bytes(496)), "a full buffer on the wire")
    r = c.action(P.ACT_SEND, 0x600, 0x701, data=b"f")
    P.check(r[0] == -2, "a channel's other destination: %r" % (r,))
    P.check(c.poll() is None and c.idle() == 1, "quiet at the end")
    dev.quiet()
    P.check(c.close() == (0, ""), "CLOSE")
    P.check(dev.tx() == ns(b"foo", 0x600, 1), "CLOSE withdraws the announced channel")


def main():
    agent, vhostd = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    kernel = os.environ.get("VCONFORM_UML_KERNEL", "")
    if not kernel or not os.access(kernel, os.X_OK):
        print("SKIP: VCONFORM_UML_KERNEL is unset or not an executable UML kernel (%r)" % kernel)
        return 77
    tmp = tempfile.mkdtemp(prefix="vcf-agent-rpmsg-")
    uml = dev = None
    try:
        sock = os.path.join(tmp, "vu.sock")
        dev = Device(vhostd, sock)
        uml = P.Uml(kernel, agent, tmp, ["virtio_uml.device=%s:7" % sock, "loglevel=8",
                                         "virtio_rpmsg_bus.dyndbg=+p"])
        c = uml.client()
        dev.line("ready", timeout=20)
        scenario(c, dev)
        rc = uml.wait()
        P.check(rc == 0, "UML exit status %d" % rc)
        P.check(not uml.bad_lines(), "kernel trouble: %r" % uml.bad_lines())
        print("\n".join(x for x in uml.console if x.startswith("agent:")))
        print("PASS")
        return 0
    except Exception:
        if uml:
            uml.kill()
            print("\n".join(uml.console))
        raise
    finally:
        if uml:
            uml.kill()
        if dev:
            dev.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
