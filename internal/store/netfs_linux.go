package store

import "golang.org/x/sys/unix"

// networkFSMagic are the statfs(2) type numbers of network and cluster
// filesystems, where SQLite's WAL mode does not work (its index lives in
// shared memory on one host) and locks may not be honoured.
var networkFSMagic = map[int64]string{
	0x6969:     "nfs",
	0xFF534D42: "cifs",
	0xFE534D42: "smb2",
	0x517B:     "smb",
	0x0BD00BD0: "lustre",
	0x47504653: "gpfs",
	0x00C36400: "ceph",
	0x19830326: "beegfs",
	0x01161970: "gfs2",
	0x7461636F: "ocfs2",
	0x5346414F: "afs",
	0x01021997: "9p",
	0x65735546: "fuse",
}

// networkFS returns the name of the network filesystem holding dir, or
// "" for a local one (or when statfs fails).
func networkFS(dir string) string {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return ""
	}
	return networkFSMagic[int64(st.Type)]
}
