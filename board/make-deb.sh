#!/bin/sh
# make-deb.sh BUILD VERSION ARCH: the kiosk and hub Debian packages from
# the programs in BUILD, into BUILD/deb. Staged in a temporary directory
# (outside the build tree, whose *.d files the Makefile reads).
set -eu
build=$1
version=$2
arch=$3
out="$build/deb"
stage=$(mktemp -d /tmp/kiosk-deb.XXXXXX)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"

# meta PKG UNIT: control file, maintainer scripts, conffiles, package.
meta() {
    d="$stage/$1"
    mkdir -p "$d/DEBIAN"
    sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" \
        "board/debian/$1.control" >"$d/DEBIAN/control"
    install -m 755 "board/debian/$1.postinst" "$d/DEBIAN/postinst"
    sed "s|@UNIT@|$2|" board/debian/prerm >"$d/DEBIAN/prerm"
    chmod 755 "$d/DEBIAN/prerm"
    (cd "$d" && find etc -type f 2>/dev/null | sed 's|^|/|') \
        >"$d/DEBIAN/conffiles"
    [ -s "$d/DEBIAN/conffiles" ] || rm "$d/DEBIAN/conffiles"
    # DEB_COMPRESS=none: the tests' packages, checked then thrown away
    # (xz of the sanitized binaries was most of their time).
    dpkg-deb --root-owner-group ${DEB_COMPRESS:+-Z"$DEB_COMPRESS"} \
        --build "$d" \
        "$out/${1}_${version}_${arch}.deb" >/dev/null
    echo "deb: $out/${1}_${version}_${arch}.deb"
}

dirs="PREFIX=/usr SYSTEMDDIR=/lib/systemd/system UDEVDIR=/lib/udev/rules.d"
dirs="$dirs SYSUSERSDIR=/usr/lib/sysusers.d KIOSK_VERSION=$version"
# shellcheck disable=SC2086
make --no-print-directory -s install-kiosk-files BUILD="$build" \
    DESTDIR="$stage/kiosk" $dirs
meta kiosk kiosk.service
if [ -x "$build/hubd" ]; then
    # shellcheck disable=SC2086
    make --no-print-directory -s install-hub-files BUILD="$build" \
        DESTDIR="$stage/kiosk-hub" $dirs
    meta kiosk-hub kiosk-hub.service
else
    echo "deb: $build/hubd not built; no kiosk-hub package"
fi
