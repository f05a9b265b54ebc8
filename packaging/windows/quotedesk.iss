; Inno Setup script: a per-user installer for the Windows bundle (no admin rights needed).
;   pyinstaller packaging\quotedesk.spec --distpath build\dist --workpath build\work
;   iscc /DAppVersion=0.1.0 packaging\windows\quotedesk.iss
; Output: build\QuoteDesk-<version>-setup.exe. CI (.github/workflows/bundles.yml) passes
; the version from pyproject.toml.
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif
#define AppId "io.quotedesk.QuoteDesk"
#define AppName "Quote Desk"
#define Bundle "..\..\build\dist\quotedesk"

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Quote Desk contributors
DefaultDirName={localappdata}\Programs\Quote Desk
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
ChangesEnvironment=yes
LicenseFile=..\..\LICENSE
OutputDir=..\..\build
OutputBaseFilename=QuoteDesk-{#AppVersion}-setup
SetupIconFile=..\..\build\work\quotedesk\icons\io.quotedesk.QuoteDesk.ico
UninstallDisplayIcon={app}\QuoteDesk.exe
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ptbr"; MessagesFile: "compiler:Languages\BrazilianPortuguese.isl"
Name: "ja"; MessagesFile: "compiler:Languages\Japanese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked
Name: "addtopath"; Description: "Add the quotedesk command to PATH"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion
Source: "..\..\LICENSE"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\..\THIRD-PARTY-NOTICES.md"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\QuoteDesk.exe"; AppUserModelID: "{#AppId}"
Name: "{group}\Third-party notices"; Filename: "{app}\THIRD-PARTY-NOTICES.md"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\QuoteDesk.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; \
  ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\QuoteDesk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; \
  Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;
