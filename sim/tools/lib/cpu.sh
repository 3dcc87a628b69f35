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
