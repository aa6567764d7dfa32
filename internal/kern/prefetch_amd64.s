#include "textflag.h"

// func prefetchRange(p unsafe.Pointer, n uintptr)
TEXT ·prefetchRange(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ n+8(FP), CX
	ADDQ AX, CX
loop:
	CMPQ AX, CX
	JAE done
	PREFETCHT0 (AX)
	ADDQ $64, AX
	JMP loop
done:
	RET

// func prefetchRangeW(p unsafe.Pointer, n uintptr)
TEXT ·prefetchRangeW(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ n+8(FP), CX
	ADDQ AX, CX
loopw:
	CMPQ AX, CX
	JAE donew
	BYTE $0x0F; BYTE $0x0D; BYTE $0x08 // PREFETCHW (AX); the assembler has no mnemonic
	ADDQ $64, AX
	JMP loopw
donew:
	RET
