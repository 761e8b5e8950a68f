; Inno Setup script for assist: a per-user install (no administrator rights needed, as support
; agents seldom have them) of the one-folder app that packaging/build_bundle.sh builds in dist\assist.
;   iscc packaging\windows\assist.iss        ->  dist\installer\assist-<version>-setup.exe
; The version comes from the version resource of dist\assist\assist.exe (version_info.txt).

#define AppName "assist"
#define BundleDir AddBackslash(SourcePath) + "..\..\dist\assist"
#define AppVersion GetVersionNumbersString(BundleDir + "\assist.exe")
#if AppVersion == ""
  #error "dist\assist\assist.exe is missing or has no version: run packaging/build_bundle.sh first"
#endif

[Setup]
AppId={{6F1C9A52-3B1E-4C7A-9D55-2E0B7A4C1D83}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=assist
AppComments=Says what the customer feels and offers empathy phrases for your reply. Runs entirely on this computer.
VersionInfoVersion={#AppVersion}
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#SourcePath}\..\..\dist\installer
OutputBaseFilename=assist-{#AppVersion}-setup
SetupIconFile={#SourcePath}\..\..\resources\icons\assist.ico
UninstallDisplayIcon={app}\assist.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
; The same Run value that assist's own setting "Start assist when you log in" writes (assist/autostart.py).
Name: "autostart"; Description: "Start assist when I log in"; GroupDescription: "Start-up:"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\assist.exe"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\assist.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "assist"; ValueData: """{app}\assist.exe"""; Tasks: autostart; Flags: uninsdeletevalue
; Removed on uninstall even when the app (not the installer) turned autostart on.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueName: "assist"; ValueType: none; Flags: uninsdeletevalue dontcreatekey

[Run]
Filename: "{app}\assist.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{cmd}"; Parameters: "/C taskkill /IM assist.exe /F"; Flags: runhidden; RunOnceId: "StopAssist"
