# The machine's CPU virtualisation, as FreeBSD reports and uses it (sim/README.md, "The CPU"):
# the boot line sys/x86/x86/identcpu.c prints (print_vmx_info / print_svm_info, short form), and
# whether vmm's MOD_LOAD succeeds with what it prints when it does not (sys/amd64/vmm/intel/vmx.c
# vmx_init in 12.x–14.x, vmx_modinit since; sys/amd64/vmm/amd/svm.c svm_available,
# check_svm_features). Sourced after common.sh. The machine description (/var/sim/hardware/sysctl)
# may say, besides hw_model (an "AMD …" model is an AMD-V machine, any other an Intel one):
#   hw_cpu_virt       the feature list identcpu prints after "VT-x: " / "SVM: ", or "none" for a
#                     CPU without VMX/SVM; unset: the profile's SIM_CPU_VTX (yes → the vendor's
#                     full list, no → none)
#   hw_iommu_bios     "off" when the firmware has turned VT-d / AMD-Vi off (acpidump -t shows no
#                     DMAR/IVRS table; sim/tools/host/bin/acpidump)
#   hw_cpu_virt_bios  "off" when the firmware has turned VMX/SVM off (IA32_FEATURE_CONTROL without
#                     VMX_EN / VM_CR.SVMDIS); anything else or unset: on
#   hw_cpu_features2  the CPUID.1 ECX flags identcpu prints on "Features2=" (names from its table),
#                     without VMX (the simulator adds VMX from hw_cpu_virt); unset: the vendor's
#                     current list, with POPCNT (every Intel CPU with EPT and every AMD one with RVI)
#   hw_cpu_amd_features2  likewise the CPUID.80000001 ECX flags of "AMD Features2=" (AMD only),
#                     without SVM (added from hw_cpu_virt); unset: a current AMD CPU's list

# sim_cpu_load: sets cpu_vendor (intel|amd), cpu_virt (the feature list, or none), cpu_bios (on|off).
sim_cpu_load() {
	sim_hw_load; sim_profile_load
	case $hw_model in *AMD*) cpu_vendor=amd ;; *) cpu_vendor=intel ;; esac
	if [ -n "${hw_cpu_virt:-}" ]; then cpu_virt=$hw_cpu_virt
	elif [ "$SIM_CPU_VTX" != yes ]; then cpu_virt=none
	elif [ "$cpu_vendor" = amd ]; then cpu_virt=NP,NRIP,VClean,AFlush,DAssist,NAsids=32768
	else cpu_virt=PAT,HLT,MTF,PAUSE,EPT,UG,VPID; fi
	if [ "${hw_cpu_virt_bios:-on}" = off ]; then cpu_bios=off; else cpu_bios=on; fi
}

# sim_cpu_has FEATURE: true when the CPU's feature list names FEATURE.
sim_cpu_has() { sim_cpu_load; case ,$cpu_virt, in *,"$1",*) return 0 ;; esac; return 1; }

# sim_cpu_features: the boot lines "  Features2=0xHEX<…>" and, on AMD, "  AMD Features2=0xHEX<…>",
# as identcpu's printcpuinfo prints them with the kernel's %b (the value, then the set bits' names
# in bit order). VMX (Features2 bit 5) is set exactly when the CPU has VT-x, SVM (AMD Features2
# bit 2) when it has AMD-V: identcpu prints the VT-x / SVM line only for those bits.
sim_cpu_features() {
	sim_cpu_load
	if [ "$cpu_vendor" = amd ]; then
		_f2=${hw_cpu_features2:-SSE3,PCLMULQDQ,MON,SSSE3,FMA,CX16,SSE4.1,SSE4.2,MOVBE,POPCNT,AESNI,XSAVE,OSXSAVE,AVX,F16C,RDRAND}
		_a2=${hw_cpu_amd_features2:-LAHF,CMP,ExtAPIC,CR8,ABM,SSE4A,MAS,Prefetch,OSVW,IBS,SKINIT,WDT,TCE,Topology,PCXC,PNXC,DBE,PL2I,MWAITX}
		[ "$cpu_virt" = none ] || _a2=$_a2,SVM
	else
		_f2=${hw_cpu_features2:-SSE3,PCLMULQDQ,DTES64,MON,DS_CPL,SMX,EST,TM2,SSSE3,SDBG,FMA,CX16,xTPR,PDCM,PCID,SSE4.1,SSE4.2,x2APIC,MOVBE,POPCNT,TSCDLT,AESNI,XSAVE,OSXSAVE,AVX,F16C,RDRAND}
		[ "$cpu_virt" = none ] || _f2=$_f2,VMX
		_a2=
	fi
	# identcpu.c's bit tables for Features2 (cpu_feature2) and AMD Features2 (amd_feature2), bit 0 first
	awk -v f2="$_f2" -v a2="$_a2" 'function line(label, names, table,   n, i, t, want, v, out) {
			if (names == "") return
			split(names, n, ","); for (i in n) want[n[i]] = 1
			split(table, t, ","); v = 0; out = ""
			for (i = 1; i <= 32; i++) if (t[i] in want) { v += 2 ^ (i - 1); out = out (out == "" ? "" : ",") t[i] }
			printf "  %s=0x%x<%s>\n", label, v, out
		}
		BEGIN {
			line("Features2", f2, "SSE3,PCLMULQDQ,DTES64,MON,DS_CPL,VMX,SMX,EST,TM2,SSSE3,CNXT-ID,SDBG,FMA,CX16,xTPR,PDCM,<b16>,PCID,DCA,SSE4.1,SSE4.2,x2APIC,MOVBE,POPCNT,TSCDLT,AESNI,XSAVE,OSXSAVE,AVX,F16C,RDRAND,HV")
			line("AMD Features2", a2, "LAHF,CMP,SVM,ExtAPIC,CR8,ABM,SSE4A,MAS,Prefetch,OSVW,IBS,XOP,SKINIT,WDT,<b14>,LWP,FMA4,TCE,<b18>,NodeId,<b20>,TBM,Topology,PCXC,PNXC,<b25>,DBE,PTSC,PL2I,MWAITX,<b30>,<b31>")
		}'
}

# sim_cpu_identify: the line the boot messages have for the CPU's virtualisation (nothing for a
# CPU without VMX/SVM, as identcpu prints it only when CPUID says VMX / SVM).
sim_cpu_identify() {
	sim_cpu_load
	[ "$cpu_virt" = none ] && return 0
	if [ "$cpu_vendor" = amd ]; then _tag=SVM; else _tag=VT-x; fi
	if [ "$cpu_bios" = off ]; then _off='(disabled in BIOS) '; else _off=; fi
	printf '  %s: %s%s\n' "$_tag" "$_off" "$cpu_virt"
}

# sim_vmm_fault: when vmm's MOD_LOAD fails on this CPU, sets vmm_fault (the kernel's message) and
# vmm_errno and returns 0; returns 1 when vmm initialises. The checks run in the kernel's order.
sim_vmm_fault() {
	sim_cpu_load
	vmm_errno=6   # ENXIO
	if [ "$cpu_vendor" = amd ]; then
		if [ "$cpu_virt" = none ]; then vmm_fault='SVM: not available.'
		elif [ "$cpu_bios" = off ]; then vmm_fault='SVM: disabled by BIOS.'
		elif ! sim_cpu_has NP; then vmm_fault='SVM: Nested Paging feature not available.'
		elif ! sim_cpu_has NRIP; then vmm_fault='SVM: NRIP Save feature not available.'
		else return 1; fi
		return 0
	fi
	if [ "$cpu_virt" = none ]; then vmm_fault='vmx_init: processor does not support VMX operation'
	elif [ "$cpu_bios" = off ]; then vmm_fault='vmx_init: VMX operation disabled by BIOS'
	elif ! sim_cpu_has EPT; then
		# PROCBASED_CTLS2_ONE_SETTING is PROCBASED2_ENABLE_EPT: vmx_set_ctlreg refuses it (EINVAL)
		vmm_fault='vmx_init: processor does not support desired secondary processor-based controls' vmm_errno=22
	else return 1; fi
	return 0
}
