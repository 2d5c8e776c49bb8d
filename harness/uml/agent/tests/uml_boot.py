#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""uml_agent_boot: boot UML with vconform-uml-agent as /init, talk to it over ssl0=fd:3,fd:4.

Checks that the agent mounts, opens /dev/ttyS0 raw, prints the ready line on the console,
answers HELLO, RESET, ACTION, POLL, IDLE and CLOSE over the pipes, and that the guest powers
off with status 0. No virtio device: the agent runs without the rpmsg bus.
Skips (77) when VCONFORM_UML_KERNEL is unset or not executable.
usage: uml_boot.py AGENT
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import agent_proto as P  # noqa: E402


def main():
    agent = os.path.abspath(sys.argv[1])
    kernel = os.environ.get("VCONFORM_UML_KERNEL", "")
    if not kernel or not os.access(kernel, os.X_OK):
        print("SKIP: VCONFORM_UML_KERNEL is unset or not an executable UML kernel (%r)" % kernel)
        return 77
    tmp = tempfile.mkdtemp(prefix="vcf-agent-boot-")
    uml = None
    try:
        uml = P.Uml(kernel, agent, tmp)
        c = uml.client()
        rc, reason, h = c.hello()
        P.check(rc == 0, "HELLO rc %d %s" % (rc, reason))
        P.check(h["roles"] == 0x2 and h["caps"] == 0x3 and h["name"] == "linux-uml-agent",
                "HELLO reply %r" % h)
        P.check(h["impl"].startswith("6."), "kernel release %r" % h["impl"])
        P.check(c.reset(2)[0] == -2, "RESET rpmsg-device is not UNSUPPORTED")
        rc, reason = c.reset(1, [("order", "le"), ("buf_size", "512")])
        P.check(rc == 0, "RESET rc %d %s" % (rc, reason))
        rc, reason, _, _ = c.action(P.ACT_CREATE, P.ANY, 0x400, data=b"x")
        P.check(rc == -2 and "RPMSG_ADDR_ANY" in reason, "create ANY: %d %s" % (rc, reason))
        rc, reason, status, _ = c.action(P.ACT_SEND, 0x400, 0x401, data=b"hi")
        P.check(rc == 0 and status == -2, "send from nowhere: rc %d status %r" % (rc, status))
        # No virtio device, so no /dev/rpmsg_ctrl0: the kernel call fails with ENOENT.
        rc, reason, status, _ = c.action(P.ACT_CREATE, 0x400, 0x401, data=b"x")
        P.check(rc == 0 and status == -2, "create without rpmsg_ctrl0: %r" % ((rc, status),))
        P.check(c.poll() is None, "POLL returned an event")
        P.check(c.idle() == 1, "IDLE is not 1")
        # Every byte value through the raw line (CR, LF, ^C, ^S, ^D, 0xff ...). The request
        # stays below 4 KiB: docs/uml-agent.md, "Limits", explains larger ones.
        big = bytes(range(256)) * int(os.environ.get("VCF_AGENT_BOOT_KIB", "3")) * 4
        rc, reason, status, _ = c.action(P.ACT_SEND, 0x400, 0x401, data=big)
        P.check(rc == 0 and status == -2, "%d-byte send: %r" % (len(big), (rc, status)))
        P.check(c.close() == (0, ""), "CLOSE")
        rc = uml.wait()
        P.check(rc == 0, "UML exit status %d" % rc)
        P.check(any("agent: close" in x for x in uml.console), "no close line in the log")
        P.check(not uml.bad_lines(), "kernel trouble: %r" % uml.bad_lines())
        print("\n".join(x for x in uml.console if "agent" in x))
        print("PASS: booted, served HELLO/RESET/ACTION/POLL/IDLE/CLOSE, powered off")
        return 0
    except Exception:
        if uml:
            uml.kill()
            print("\n".join(uml.console))
        raise
    finally:
        if uml:
            uml.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
