; Included by electron-builder's NSIS installer (electron-builder.yml, nsis.include).
; The counter's data is the machine's, shared by every Windows account of the PC (electron/data-folder.ts):
; C:\ProgramData\Guichet Famille, created here with the right to modify it for the PC's users. S-1-5-32-545 is
; BUILTIN\Users whatever the language of Windows. Uninstalling leaves the folder and its data in place.
!macro customInstall
  SetShellVarContext all
  CreateDirectory "$APPDATA\Guichet Famille"
  nsExec::ExecToLog 'icacls "$APPDATA\Guichet Famille" /grant *S-1-5-32-545:(OI)(CI)M'
!macroend
