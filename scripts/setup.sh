#!/usr/bin/env bash
# 'make setup': installs what a fresh Debian machine may lack for building, running and testing vipgate.
# Idempotent: installs nothing that is there already. Needs root (or password-less sudo) to install;
# without it, it prints the command to run.
set -euo pipefail

need_pkgs=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }

if ! have_cmd javac || ! javac -version 2>&1 | grep -Eq 'javac (1[7-9]|[2-9][0-9])'; then
    need_pkgs+=(openjdk-17-jdk-headless)
fi
have_cmd mvn || need_pkgs+=(maven)
have_cmd curl || need_pkgs+=(curl)
# The certificate tests check vipgate's certificates and requests with openssl (verify, req, rsa).
have_cmd openssl || need_pkgs+=(openssl)
if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && ! have_cmd rabbitmq-server; then
    need_pkgs+=(rabbitmq-server)
fi
# Interop tests use Debian's libzmq and pika through Debian's own python3, not a python3 earlier on PATH.
if [ ! -x /usr/bin/python3 ]; then
    need_pkgs+=(python3 python3-zmq python3-pika)
else
    /usr/bin/python3 -c 'import zmq' 2>/dev/null || need_pkgs+=(python3-zmq)
    /usr/bin/python3 -c 'import pika' 2>/dev/null || need_pkgs+=(python3-pika)
fi
# The admin UI's browser test (certs) drives Debian's headless Chromium through its chromedriver.
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
[ -x /usr/bin/chromedriver ] || need_pkgs+=(chromium-driver)

if [ ${#need_pkgs[@]} -eq 0 ]; then
    echo "setup: everything is installed (java 17+, maven, curl, openssl, rabbitmq-server, python3-zmq, python3-pika, chromium, chromium-driver)"
    exit 0
fi

echo "setup: installing ${need_pkgs[*]}"
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif have_cmd sudo && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "setup: installing needs root. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need_pkgs[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Do not let the package start a system RabbitMQ service: tests and 'make run' start their own nodes.
policy_added=no
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
    policy_added=yes
fi
trap '[ "$policy_added" = yes ] && "${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"
echo "setup: done"
