package tokens

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// KJVRange is the verse range passed to the bible command: the whole book.
const KJVRange = "Gen1:1-Rev22:21"

// kjvMinBytes is a floor well below the ~4.3 MB the full KJV prints, so a
// truncated or wrong output is caught.
const kjvMinBytes = 4_000_000

// KJVText returns the King James Bible as printed by `bible Gen1:1-Rev22:21`
// (Debian package bible-kjv): book and chapter headings, numbered verses,
// wrapped lines, about 4.3 MB of ASCII.
func KJVText() (string, error) {
	path, err := exec.LookPath("bible")
	if err != nil {
		return "", errors.New("the 'bible' command is missing: install the Debian package bible-kjv (apt-get install bible-kjv) or pass a text file")
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(path, KJVRange)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("bible %s: %v: %s", KJVRange, err, strings.TrimSpace(errb.String()))
	}
	text := out.String()
	if len(text) < kjvMinBytes || !strings.Contains(text, "In the beginning God created the heaven and the earth.") ||
		!strings.Contains(text, "The grace of our Lord Jesus Christ be with you all. Amen.") {
		return "", fmt.Errorf("bible %s printed %d bytes that do not look like the whole KJV (want > %d bytes from Genesis 1:1 to Revelation 22:21)", KJVRange, len(text), kjvMinBytes)
	}
	return text, nil
}
